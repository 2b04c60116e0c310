/**
 * Gateway memory and delivery with many subscribers under a burst, side by side:
 *   npx tsx bench/subscription-rss.ts [--baseline <dir>] [--burst 1000]
 * or under a sustained stream (a flash sale's events, produced straight to Kafka so that the
 * gateways, not the subgraphs, are what is measured):
 *   npx tsx bench/subscription-rss.ts [--baseline <dir>] --seconds 30 --rate 500 [--window-bytes <n>]
 * where each order of `rate` per second is one orderStatusChanged (PENDING → CONFIRMED) and one
 * stockChanged over 100 product ids, one of which the filtered subscribers watch.
 * Starts the subgraphs in this process (test/support/test-system.ts) and each checkout's gateway as
 * its own process, compiled as `npm start` runs it (run `npm run build` in each checkout first); on each gateway opens 100 sockets × 10 filtered subscriptions and one socket
 * with 20 unfiltered ones (1,020 subscribers), each selecting fields of inventory; sends a burst of
 * stock adjustments, and samples each gateway's RSS from /proc until every subscriber has the burst
 * (or 3 minutes passed). Prints idle and peak RSS, each gateway's CPU seconds over the load, and
 * the events subscribers missed.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { orderStatusChanged, stockChanged } from '@io/events/catalog';
import { createEnvelope, type EventDefinition } from '@io/events/envelope';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { adjustStockBurst } from '../test/support/stock-burst';
import { loadConfig } from '@io/config';
import { adminUser, embeddedCredentialsEnv } from '../scripts/kafka/credentials';
import { startTestSystem } from '../test/support/test-system';
import { subscribe, wsClient, type TestSubscription } from '../test/support/ws-client';
import { cpuSeconds, rssMegabytes, startProcess, stopProcess, type Process } from './support/processes';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    burst: { type: 'string', default: '1000' },
    seconds: { type: 'string' },
    rate: { type: 'string', default: '500' },
    'window-bytes': { type: 'string' },
  },
});
const sustained = args.seconds !== undefined;
const seconds = Number(args.seconds);
const rate = Number(args.rate);
const burst = sustained ? Math.round(seconds * rate) : Number(args.burst);
const localQueries = [
  `subscription { stockChanged { eventId productId stockQuantity movementType } }`,
  `subscription { orderStatusChanged { eventId orderId from to changedAt } }`,
];
const query = `subscription ($productId: ID) { stockChanged(productId: $productId) { eventId stockQuantity product { name stockQuantity } } }`;
const sleep = (ms: number) => new Promise((settle) => setTimeout(settle, ms));

async function main(): Promise<void> {
  // The embedded broker's admin for this process and the ones it starts (jest's global setup does this for tests).
  Object.assign(process.env, embeddedCredentialsEnv(loadConfig(), adminUser));
  const system = await startTestSystem({ LOG_LEVEL: 'warn' });
  const gateways: Process[] = [];
  const clients: ReturnType<typeof wsClient>[] = [];
  try {
    const { data } = await system.graphql<{ createProduct: { id: string } }>(
      'mutation { createProduct(input: { name: "Bench lamp", price: "10.00", stockQuantity: 0, minStockLevel: 0 }) { id } }',
    );
    const productId = data!.createProduct.id;
    const env = {
      KAFKA_TOPIC_PREFIX: system.config.KAFKA_TOPIC_PREFIX,
      SUBGRAPH_HOP_SECRET: system.config.SUBGRAPH_HOP_SECRET!,
      INVENTORY_URL: `${system.services.inventory.url}/graphql`,
      ORDERS_URL: `${system.services.orders.url}/graphql`,
      MONITOR_URL: `${system.services.monitor.url}/graphql`,
      // One address opens all 101 sockets here: it stands for many clients.
      MAX_WS_CONNECTIONS_PER_ADDRESS: '1000',
      ...(args['window-bytes'] ? { SUBSCRIPTION_WINDOW_BYTES: args['window-bytes'] } : {}),
    };
    const checkouts = [{ label: 'current', dir: resolve(__dirname, '..') }];
    if (args.baseline) checkouts.push({ label: 'baseline', dir: resolve(args.baseline) });
    const subscribers = new Map<string, TestSubscription[]>();
    for (const { label, dir } of checkouts) {
      // Compiled, as `npm start` runs it (each checkout built first).
      const gateway = await startProcess(`${label}-gateway`, dir, undefined, 'dist/gateway/src/index.js', env);
      gateways.push(gateway);
      const opened: TestSubscription[] = [];
      for (let socket = 0; socket < 100; socket += 1) {
        const client = wsClient(gateway.url);
        clients.push(client);
        for (let index = 0; index < 10; index += 1) opened.push(subscribe(client, query, { productId }));
      }
      const shared = wsClient(gateway.url);
      clients.push(shared);
      // Sustained: unfiltered subscribers select event fields only, since no subgraph here serves an entity query per event at 1,000 events/s.
      for (let index = 0; index < 20; index += 1)
        opened.push(subscribe(shared, sustained ? localQueries[index % 2] : query));
      subscribers.set(label, opened);
    }
    await sleep(5000); // every subscription registered
    const idle = Object.fromEntries(gateways.map((gateway) => [gateway.label, rssMegabytes(gateway.child)]));
    const cpuAtStart = Object.fromEntries(gateways.map((gateway) => [gateway.label, cpuSeconds(gateway.child)]));
    const peak = { ...idle };
    const sampler = setInterval(() => {
      for (const gateway of gateways) peak[gateway.label] = Math.max(peak[gateway.label], rssMegabytes(gateway.child));
    }, 250);
    if (sustained) await produceOrderEvents(system, Number(productId), seconds, rate);
    else await adjustStockBurst(system, productId, burst);
    const deadline = Date.now() + 180_000;
    const expected = (index: number) => (!sustained ? burst : index < 1000 ? watchedEvents : burst);
    const complete = () =>
      [...subscribers.values()].every((opened) =>
        opened.every((subscription, index) => subscription.received.length >= expected(index)),
      );
    while (!complete() && Date.now() < deadline) await sleep(500);
    await sleep(2000);
    clearInterval(sampler);
    const end = Object.fromEntries(gateways.map((gateway) => [gateway.label, rssMegabytes(gateway.child)]));
    // CPU from the first event until every subscriber had its events (and 2 s more).
    const cpu = Object.fromEntries(
      gateways.map((gateway) => [gateway.label, (cpuSeconds(gateway.child) - cpuAtStart[gateway.label]).toFixed(1)]),
    );
    const load = sustained ? `${rate} orders/s × ${seconds} s (${2 * burst} events)` : `burst of ${burst}`;
    console.log(
      `| gateway | subscribers | load | RSS idle MB | RSS peak MB | RSS at end MB | CPU s | fewest events: filtered (of ${sustained ? watchedEvents : burst}) / unfiltered | results announcing drops |`,
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const gateway of gateways) {
      const opened = subscribers.get(gateway.label.replace('-gateway', ''))!;
      const received = (subscription: TestSubscription) => subscription.received.filter((result) => result.data).length;
      const fewestFiltered = Math.min(...opened.slice(0, 1000).map(received));
      const fewestUnfiltered = Math.min(...opened.slice(1000).map(received));
      const firstError = opened
        .flatMap((subscription) => subscription.received)
        .find((result) => result.errors)?.errors;
      if (firstError) console.error(`${gateway.label}: a subscriber got errors: ${JSON.stringify(firstError)}`);
      const announcing = opened.reduce(
        (sum, subscription) => sum + subscription.received.filter((result) => result.extensions?.droppedEvents).length,
        0,
      );
      console.log(
        `| ${gateway.label} | ${opened.length} | ${load} | ${idle[gateway.label]} | ${peak[gateway.label]} | ${end[gateway.label]} | ${cpu[gateway.label]} | ${fewestFiltered} / ${fewestUnfiltered} | ${announcing} |`,
      );
    }
  } finally {
    await Promise.all(clients.map(async (client) => client.dispose()));
    for (const gateway of gateways) await stopProcess(gateway);
    await system.close();
  }
}

/** The filtered subscribers' product gets one stockChanged in this many. */
const productSpread = 100;
let watchedEvents = 0;

/**
 * `rate` orders per second for `seconds`, open loop in ticks of 100 ms: each order is an
 * orderStatusChanged and a stockChanged, keyed and enveloped as the services produce them.
 */
async function produceOrderEvents(
  system: Awaited<ReturnType<typeof startTestSystem>>,
  watchedProductId: number,
  seconds: number,
  rate: number,
): Promise<void> {
  const producer = createKafka(
    'bench-producer',
    kafkaConnection(system.config),
    createLogger('bench', 'warn'),
  ).producer();
  await producer.connect();
  const topic = (definition: EventDefinition<unknown>) => `${system.config.KAFKA_TOPIC_PREFIX}${definition.topic}`;
  const message = <T>(definition: EventDefinition<T>, data: T) => ({
    key: definition.key(data),
    value: JSON.stringify(createEnvelope(definition, data)),
  });
  let order = 0;
  const started = Date.now();
  try {
    for (let tick = 1; tick <= seconds * 10; tick += 1) {
      const statuses = [];
      const stock = [];
      for (; order < (tick * rate) / 10; order += 1) {
        const productId =
          order % productSpread === 0 ? watchedProductId : watchedProductId + 1 + (order % productSpread);
        if (productId === watchedProductId) watchedEvents += 1;
        const now = new Date().toISOString();
        statuses.push(
          message(orderStatusChanged, {
            orderId: order + 1,
            from: 'PENDING',
            to: 'CONFIRMED',
            reason: null,
            changedAt: now,
          }),
        );
        stock.push(
          message(stockChanged, {
            productId,
            quantityChange: -1,
            stockQuantity: 1_000_000 - order,
            minStockLevel: 10,
            movementType: 'SALE',
            referenceId: `order-${order + 1}`,
            stockVersion: order + 1,
          }),
        );
      }
      await producer.sendBatch({
        topicMessages: [
          { topic: topic(orderStatusChanged as EventDefinition<unknown>), messages: statuses },
          { topic: topic(stockChanged as EventDefinition<unknown>), messages: stock },
        ],
      });
      await sleep(Math.max(0, started + tick * 100 - Date.now()));
    }
  } finally {
    await producer.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
