import { cpus, totalmem } from 'node:os';
import { loadConfig } from '../lib/config';
import { startLocalKafka } from '../scripts/kafka/local-broker';
import { fixtures } from '../test/support/fixtures';
import { startTestSystem } from '../test/support/test-system';
import { waitFor } from '../test/support/wait-for';
import { subscribe, wsClient } from '../test/support/ws-client';

/**
 * `npm run bench`: the whole system in one process on the real Kafka and PostgreSQL (as the e2e
 * tests run it), measured end to end. Prints a Markdown section to append to bench/RESULTS.md.
 * Figures that compare two things are ratios measured in the same run.
 */
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function timeEach(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const start = performance.now();
    await run();
    durations.push(performance.now() - start);
  }
  return durations;
}

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

async function main() {
  const config = loadConfig();
  const broker = await startLocalKafka({ port: config.KAFKA_PORT, controllerPort: config.KAFKA_CONTROLLER_PORT, log: () => undefined });
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  const system = await startTestSystem();
  const f = fixtures(system);
  const lines: string[] = [];
  const rssBefore = process.memoryUsage().rss;
  try {
    const products = await Promise.all(Array.from({ length: 10 }, (_, index) => f.createProduct({ name: `Bench ${index}`, stockQuantity: 1_000_000 })));
    const warmup = await Promise.all(products.map((productId) => f.createOrder('SELL', [{ productId, quantity: 1 }])));
    await f.waitForAllProcessed(warmup);

    // 1. Saga throughput: orders created by 20 concurrent clients, until the last one is CONFIRMED.
    const orderCount = 1000;
    const start = performance.now();
    const ids: string[] = [];
    await inParallel(Array.from({ length: orderCount }, (_, index) => index), 20, async (index) => {
      ids.push(await f.createOrder('SELL', [{ productId: products[index % products.length], quantity: 1 }]));
    });
    const accepted = performance.now() - start;
    const statuses = await f.waitForAllProcessed(ids, 300_000);
    const processed = performance.now() - start;
    lines.push(`- Saga: ${orderCount} sell orders from 20 concurrent clients: accepted in ${ms(accepted)} (${(orderCount / accepted * 1000).toFixed(0)} orders/s), all processed in ${ms(processed)} (${(orderCount / processed * 1000).toFixed(0)} orders/s end to end); ${statuses.filter((status) => status === 'CONFIRMED').length} CONFIRMED; ledger violations: ${(await f.ledgerViolations()).length}.`);

    // 2. Federation overhead: the same orders read through the gateway (items' products resolved by inventory) and from the orders subgraph alone.
    const viaGateway = await timeEach(300, () => system.graphql(`{ orders(limit: 20) { id status items { quantity product { name stockQuantity } } } }`));
    const direct = await timeEach(300, () => fetch(`${system.services.orders.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ orders(limit: 20) { id status items { quantity productId } } }' }),
    }).then((response) => response.json()));
    lines.push(`- Query of 20 orders with their items: through the gateway, product names from inventory: p50 ${ms(percentile(viaGateway, 0.5))}, p95 ${ms(percentile(viaGateway, 0.95))}; orders subgraph alone: p50 ${ms(percentile(direct, 0.5))}, p95 ${ms(percentile(direct, 0.95))}; ratio of p50s ${(percentile(viaGateway, 0.5) / percentile(direct, 0.5)).toFixed(2)}x (300 sequential requests each).`);

    // 3. Subscription fan-out: 200 subscribers with the same selection, one stock change.
    // 200 subscribers over 5 sockets (MAX_SUBSCRIPTIONS_PER_SOCKET is 50 by default).
    const sockets = Array.from({ length: 5 }, () => wsClient(system.gatewayUrl));
    const subscribers = Array.from({ length: 200 }, (_, index) => subscribe(sockets[index % sockets.length], `subscription ($id: ID) { stockChanged(productId: $id) { quantityChange product { name stockQuantity } } }`, { id: products[0] }));
    await waitFor(async () => {
      await system.graphql(`mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: 1 }) { id } }`, { id: products[0] });
      return subscribers.every((subscription) => subscription.received.length > 0);
    }, 60_000, 'subscribers live');
    await new Promise((settle) => setTimeout(settle, 1000));
    subscribers.forEach((subscription) => subscription.drain());
    const queriesBefore = system.gateway.subscriptionStats().entityQueries;
    const fanOutStart = performance.now();
    await system.graphql(`mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: -7 }) { id } }`, { id: products[0] });
    await Promise.all(subscribers.map((subscription) => subscription.next(30_000)));
    const fanOut = performance.now() - fanOutStart;
    const entityQueries = system.gateway.subscriptionStats().entityQueries - queriesBefore;
    lines.push(`- Subscriptions: one stock change delivered to 200 subscribers (same selection, cross-subgraph fields) over 5 sockets in ${ms(fanOut)} from the mutation's request; federated queries for it: ${entityQueries} (1 per distinct selection instead of 200: ratio 1/${200 / entityQueries}).`);
    await Promise.all(sockets.map((socket) => socket.dispose()));
    lines.push(`- Memory: resident set of the test process (all services, gateway, Kafka clients) ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB after the run (${(rssBefore / 2 ** 20).toFixed(0)} MiB before it).`);
  } finally {
    await system.close();
    await broker.stop();
  }
  console.log(`\n## ${new Date().toISOString().slice(0, 10)} — ${cpus().length} × ${cpus()[0].model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
