import type { BenchConfig, RateStep } from './config';
import { sendStepOrders } from './load';
import { graphql, mapConcurrently } from './graphql-client';
import type { StatusWatcher } from './subscriber';
import { waitUntil } from './timing';

/** Creates the bench's products through the gateway; returns product id → initial stock. */
export async function createProducts(config: BenchConfig, gatewayGraphql: string): Promise<Map<string, number>> {
  const stocks = Array.from({ length: config.productCount }, (_, index) =>
    index >= config.productCount - config.shortProducts ? config.shortStock : config.stockPerProduct,
  );
  const ids = await mapConcurrently(stocks, 8, async (stockQuantity, index) => {
    const data = await graphql<{ createProduct: { id: string } }>(
      gatewayGraphql,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { name: `Bench product ${index + 1}`, price: '1.00', stockQuantity, minStockLevel: 0 } },
    );
    return data.createProduct.id;
  });
  return new Map(ids.map((id, index) => [id, stocks[index]]));
}

/** One order per product through the whole saga: JIT, connection pools and consumer groups warm, subscriber proven live. */
export async function warmUp(gatewayGraphql: string, productIds: string[], watcher: StatusWatcher): Promise<void> {
  const orderIds = await mapConcurrently(productIds, 4, async (productId) => {
    const data = await graphql<{ createOrder: { id: string } }>(
      gatewayGraphql,
      'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      {
        input: {
          orderType: 'SELL',
          customerName: 'Bench warm-up',
          customerEmail: 'bench@example.com',
          items: [{ productId, quantity: 1, unitPrice: '1.00' }],
        },
      },
    );
    return data.createOrder.id;
  });
  const done = await waitUntil(() => orderIds.every((id) => watcher.finalAt.has(id)), 120_000);
  if (!done)
    throw new Error(
      `warm-up: the subscriber saw ${orderIds.filter((id) => watcher.finalAt.has(id)).length} of ${orderIds.length} final statuses within 120 s`,
    );
}

/** Orders at a fixed rate, then a wait until the subscriber saw every one final: nothing of it is measured. */
export async function warmUpAtRate(
  config: BenchConfig,
  step: RateStep,
  context: { gatewayUrl: string; productIds: string[]; watcher: StatusWatcher },
): Promise<void> {
  const load = await sendStepOrders(config, step, context.gatewayUrl, context.productIds);
  if (load.failed > 0)
    throw new Error(`warm-up: ${load.failed} orders failed: ${JSON.stringify(load.failuresByMessage)}`);
  const done = await waitUntil(() => load.created.every((order) => context.watcher.finalAt.has(order.id)), 120_000);
  if (!done) throw new Error('warm-up: the subscriber did not see every order final within 120 s');
}
