/**
 * Gateway memory and delivery with many subscribers under a burst, side by side:
 *   npx tsx bench/subscription-rss.ts [--baseline <dir>] [--burst 1000]
 * Starts the subgraphs in this process (test/support/test-system.ts) and each checkout's gateway as
 * its own process; on each gateway opens 100 sockets × 10 filtered subscriptions and one socket
 * with 20 unfiltered ones (1,020 subscribers), each selecting fields of inventory; sends a burst of
 * stock adjustments, and samples each gateway's RSS from /proc until every subscriber has the burst
 * (or 3 minutes passed). Prints idle and peak RSS, and the events subscribers missed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { adjustStockBurst } from '../test/support/stock-burst';
import { startTestSystem } from '../test/support/test-system';
import { subscribe, wsClient, type TestSubscription } from '../test/support/ws-client';
import { rssMegabytes, startProcess, stopProcess, type Process } from './support/processes';

const { values: args } = parseArgs({ options: { baseline: { type: 'string' }, burst: { type: 'string', default: '1000' } } });
const burst = Number(args.burst);
const query = `subscription ($productId: ID) { stockChanged(productId: $productId) { eventId stockQuantity product { name stockQuantity } } }`;
const sleep = (ms: number) => new Promise((settle) => setTimeout(settle, ms));

async function main(): Promise<void> {
  const system = await startTestSystem({ LOG_LEVEL: 'warn' });
  const gateways: Process[] = [];
  const clients: ReturnType<typeof wsClient>[] = [];
  try {
    const { data } = await system.graphql<{ createProduct: { id: string } }>(
      'mutation { createProduct(input: { name: "Bench lamp", price: "10.00", stockQuantity: 0, minStockLevel: 0 }) { id } }');
    const productId = data!.createProduct.id;
    const env = {
      KAFKA_TOPIC_PREFIX: system.config.KAFKA_TOPIC_PREFIX, INVENTORY_URL: `${system.services.inventory.url}/graphql`,
      ORDERS_URL: `${system.services.orders.url}/graphql`, MONITOR_URL: `${system.services.monitor.url}/graphql`,
    };
    const checkouts = [{ label: 'current', dir: resolve(__dirname, '..') }];
    if (args.baseline) checkouts.push({ label: 'baseline', dir: resolve(args.baseline) });
    const subscribers = new Map<string, TestSubscription[]>();
    for (const { label, dir } of checkouts) {
      const gateway = await startProcess(`${label}-gateway`, dir, undefined, 'gateway/src/index.ts', env);
      gateways.push(gateway);
      const opened: TestSubscription[] = [];
      for (let socket = 0; socket < 100; socket += 1) {
        const client = wsClient(gateway.url);
        clients.push(client);
        for (let index = 0; index < 10; index += 1) opened.push(subscribe(client, query, { productId }));
      }
      const shared = wsClient(gateway.url);
      clients.push(shared);
      for (let index = 0; index < 20; index += 1) opened.push(subscribe(shared, query));
      subscribers.set(label, opened);
    }
    await sleep(5000); // every subscription registered
    const idle = Object.fromEntries(gateways.map((gateway) => [gateway.label, rssMegabytes(gateway.child)]));
    const peak = { ...idle };
    const sampler = setInterval(() => {
      for (const gateway of gateways) peak[gateway.label] = Math.max(peak[gateway.label], rssMegabytes(gateway.child));
    }, 250);
    await adjustStockBurst(system, productId, burst);
    const deadline = Date.now() + 180_000;
    const complete = () => [...subscribers.values()].every((opened) => opened.every((subscription) => subscription.received.length >= burst));
    while (!complete() && Date.now() < deadline) await sleep(500);
    await sleep(2000);
    clearInterval(sampler);
    console.log(`| gateway | subscribers | burst | RSS idle MB | RSS peak MB | fewest events received by a subscriber | results announcing drops |`);
    console.log('|---|---|---|---|---|---|---|');
    for (const gateway of gateways) {
      const opened = subscribers.get(gateway.label.replace('-gateway', ''))!;
      const fewest = Math.min(...opened.map((subscription) => subscription.received.filter((result) => result.data).length));
      const announcing = opened.reduce((sum, subscription) => sum + subscription.received.filter((result) => result.extensions?.droppedEvents).length, 0);
      console.log(`| ${gateway.label} | ${opened.length} | ${burst} | ${idle[gateway.label]} | ${peak[gateway.label]} | ${fewest} | ${announcing} |`);
    }
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    for (const gateway of gateways) await stopProcess(gateway);
    await system.close();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
