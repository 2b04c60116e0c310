import { Client } from 'pg';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import type { TestSystem } from './test-system';
import { waitFor } from './wait-for';

/** Operations a test drives through the gateway, the way an integration would. */
export function fixtures(system: Pick<TestSystem, 'graphql' | 'config'>) {
  async function createProduct(input: {
    name?: string;
    price?: string;
    stockQuantity: number;
    minStockLevel?: number;
  }): Promise<string> {
    const { data, errors } = await system.graphql<{ createProduct: { id: string } }>(
      `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
      { input: { name: 'Test product', price: '10.00', minStockLevel: 0, ...input } },
    );
    if (errors) throw new Error(JSON.stringify(errors));
    return data!.createProduct.id;
  }

  async function createOrder(
    orderType: 'BUY' | 'SELL',
    items: { productId: string; quantity: number; unitPrice?: string }[],
  ): Promise<string> {
    const { data, errors } = await system.graphql<{ createOrder: { id: string } }>(
      `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
      {
        input: {
          orderType,
          customerName: 'Test customer',
          customerEmail: 'customer@example.com',
          items: items.map((item) => ({ unitPrice: '10.00', ...item })),
        },
      },
    );
    if (errors) throw new Error(JSON.stringify(errors));
    return data!.createOrder.id;
  }

  async function orderStatus(id: string): Promise<string> {
    const { data } = await system.graphql<{ order: { status: string } }>(
      `query ($id: ID!) { order(id: $id) { status } }`,
      { id },
    );
    return data!.order.status;
  }

  const waitForStatus = (id: string, expected: string[] = ['CONFIRMED', 'REJECTED'], timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const status = await orderStatus(id);
        return expected.includes(status) && status;
      },
      timeoutMs,
      `order ${id} to become ${expected.join(' or ')}`,
    );

  /** Every order's status, newest first, a page of 500 at a time. */
  async function allStatuses(): Promise<Map<string, string>> {
    const statuses = new Map<string, string>();
    for (let offset = 0; ; offset += 500) {
      const { data } = await system.graphql<{ orders: { id: string; status: string }[] }>(
        `query ($offset: Int) { orders(limit: 500, offset: $offset) { id status } }`,
        { offset },
      );
      for (const order of data!.orders) statuses.set(order.id, order.status);
      if (data!.orders.length < 500) return statuses;
    }
  }

  /** Waits until none of the orders is PENDING (a few queries per poll, however many orders) and returns their statuses. */
  async function waitForAllProcessed(ids: string[], timeoutMs = 60_000): Promise<string[]> {
    return waitFor(
      async () => {
        const byId = await allStatuses();
        const statuses = ids.map((id) => byId.get(id) ?? 'MISSING');
        return statuses.every((status) => status !== 'PENDING' && status !== 'MISSING') && statuses;
      },
      timeoutMs,
      `${ids.length} orders to be processed`,
    );
  }

  /** An operator's stock change through the gateway; throws on any error. */
  async function adjustStock(productId: string, quantityChange: number): Promise<void> {
    const { errors } = await system.graphql(
      `mutation ($id: ID!, $input: AdjustStockInput!) { adjustStock(productId: $id, input: $input) { id } }`,
      { id: productId, input: { quantityChange } },
    );
    if (errors) throw new Error(JSON.stringify(errors));
  }

  /** Puts a message on one of the system's topics as is, bypassing every producer's validation. */
  async function publishRaw(topic: string, key: string, value: string): Promise<void> {
    const producer = createKafka('test-raw', kafkaConnection(system.config), createLogger('raw', 'silent')).producer();
    await producer.connect();
    try {
      await producer.send({
        topic: `${system.config.KAFKA_TOPIC_PREFIX}${topic}`,
        acks: -1,
        messages: [{ key, value }],
      });
    } finally {
      await producer.disconnect();
    }
  }

  async function stockOf(productId: string): Promise<number> {
    const { data } = await system.graphql<{ product: { stockQuantity: number } }>(
      `query ($id: ID!) { product(id: $id) { stockQuantity } }`,
      { id: productId },
    );
    return data!.product.stockQuantity;
  }

  /** Reads the inventory tables directly, to check invariants from outside the API. */
  async function sql<T extends Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: system.config.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<T>(query, params)).rows;
    } finally {
      await client.end();
    }
  }

  /** Products whose stock differs from the sum of their movements, or is negative (must be none). */
  const ledgerViolations = () =>
    sql(`
    SELECT p.id, p.stock_quantity, COALESCE(SUM(m.quantity_change), 0)::int AS ledger
    FROM inventory.products p LEFT JOIN inventory.stock_movements m ON m.product_id = p.id
    GROUP BY p.id HAVING p.stock_quantity <> COALESCE(SUM(m.quantity_change), 0) OR p.stock_quantity < 0`);

  return {
    createProduct,
    createOrder,
    orderStatus,
    waitForStatus,
    waitForAllProcessed,
    adjustStock,
    publishRaw,
    stockOf,
    sql,
    ledgerViolations,
  };
}
