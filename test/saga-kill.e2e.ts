import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { orderCreated } from '@io/events/catalog';
import { compiledPath, serviceNamed } from '@io/registry';
import { fixtures } from './support/fixtures';
import { freePort } from './support/free-port';
import { startTestSystem, type TestSystem } from './support/test-system';

/**
 * Inventory SIGKILLed while it works through a backlog in batches: between a batch's database
 * commit and its offset commit, and in the middle of the transactions of its other partitions.
 * Kafka then hands the same events again to the next instance, which must apply each order exactly
 * once.
 *
 * Each instance kills itself at the `consumer.applied` failpoint (lib/fault/failpoints.ts) on its
 * fifth batch of 20 events: the crash lands in that window whatever the machine's load, with most
 * of the backlog still ahead, and each instance gets further than the one before it only because
 * offsets are committed after every batch's transaction. A test that watched the database and
 * killed from outside lost that race on a loaded CI machine: the instance had committed the whole
 * backlog (three 500-event batches) before the test saw the first, and the next instance had
 * nothing left to do.
 */
let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const sessionTimeoutMs = '6000';
const batchMaxEvents = '20';

beforeAll(async () => {
  system = await startTestSystem({ KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs });
  f = fixtures(system);
});

/** Instances this file started: a test that fails halfway must not leave one consuming behind it. */
const spawned = new Set<ChildProcess>();
/** The last lines the current instance logged, so a timeout says what the instance was doing. */
let instanceLog: string[] = [];

afterAll(async () => {
  for (const child of spawned) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await system?.close();
});

/** Inventory in a process of its own, on the test system's database and topics, so it can be killed for real. */
async function spawnInventory(killAtPass: number): Promise<ChildProcess> {
  // Compiled (npm test builds first), as npm start runs it: starting through tsx took much of the
  // wait for a first batch on a loaded CI machine.
  const child = spawn(process.execPath, [resolve(__dirname, '..', compiledPath(serviceNamed('inventory').entry))], {
    env: {
      ...process.env,
      DATABASE_URL: system.config.DATABASE_URL,
      KAFKA_BROKERS: system.config.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: system.config.KAFKA_TOPIC_PREFIX,
      KAFKA_SESSION_TIMEOUT_MS: sessionTimeoutMs,
      CONSUMER_BATCH_MAX_EVENTS: batchMaxEvents,
      FAILPOINTS: `consumer.applied=kill@${killAtPass}`,
      // A subgraph does not start without the hop secret; this instance shares the test system's.
      SUBGRAPH_HOP_SECRET: system.config.SUBGRAPH_HOP_SECRET,
      INVENTORY_PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  instanceLog = [];
  const keep = (chunk: Buffer) => {
    instanceLog.push(...chunk.toString().split('\n').filter(Boolean));
    instanceLog.splice(0, Math.max(0, instanceLog.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  spawned.add(child);
  return child;
}

/** Orders inventory has decided, confirmed or rejected: each left its event's id in processed_events. */
const decidedOrders = async () =>
  (
    await f.sql<{ count: number }>(`SELECT count(*)::int AS count FROM inventory.processed_events WHERE topic = $1`, [
      orderCreated.topic,
    ])
  )[0].count;

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<string>): Promise<string[]> {
  const results: string[] = [];
  const queue = [...items];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) results.push(await work(item));
    }),
  );
  return results;
}

test('inventory killed three times while it applies a backlog of 1,500 orders in batches: every order is applied exactly once', async () => {
  const plenty = await f.createProduct({ stockQuantity: 100_000 });
  const scarce = await f.createProduct({ stockQuantity: 300 });
  await system.stop('inventory');
  const orderIds = await inParallel(
    Array.from({ length: 1500 }, (_, index) => index),
    20,
    (index) => f.createOrder('SELL', [{ productId: index % 2 === 0 ? plenty : scarce, quantity: 1 }]),
  );

  const progressAtKill: number[] = [];
  for (let kill = 0; kill < 3; kill += 1) {
    const before = await decidedOrders();
    // Offsets are committed after each batch's transaction, so an instance first applies again,
    // as no-ops, at most one batch per partition (three): killed at its fifth, it has applied at
    // least two new ones.
    const child = await spawnInventory(5);
    // The instance kills itself once its fifth batch has committed, before that batch's offsets
    // are; its other partitions' transactions are cut off wherever they are.
    const exit = await new Promise<string>((settle, fail) => {
      const timer = setTimeout(() => {
        void decidedOrders().then((decided) =>
          fail(
            new Error(
              `instance ${kill + 1} of 3 did not reach its failpoint in 90 s (${decided} of 1,500 orders decided); ` +
                `its last lines:\n${instanceLog.join('\n')}`,
            ),
          ),
        );
      }, 90_000);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        settle(signal ?? `exit code ${String(code)}`);
      });
    });
    // Nothing else here kills the instance: SIGKILL is its failpoint.
    expect(exit).toBe('SIGKILL');
    progressAtKill.push(await decidedOrders());
    expect(progressAtKill.at(-1)).toBeGreaterThan(before);
  }
  expect(progressAtKill[2]).toBeLessThan(1500);

  await system.start('inventory');
  const statuses = await f.waitForAllProcessed(orderIds, 120_000);

  const confirmed = statuses.filter((status) => status === 'CONFIRMED').length;
  expect(confirmed).toBe(750 + 300);
  expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(450);
  expect([await f.stockOf(plenty), await f.stockOf(scarce)]).toEqual([100_000 - 750, 0]);
  expect(await f.ledgerViolations()).toEqual([]);
  const [{ movements, orders }] = await f.sql<{ movements: number; orders: number }>(`
    SELECT count(*)::int AS movements, count(DISTINCT reference_id)::int AS orders
    FROM inventory.stock_movements WHERE movement_type = 'SALE'`);
  expect({ movements, orders }).toEqual({ movements: confirmed, orders: confirmed });
  const history = await f.sql<{ changes: number; orders: number }>(`
    SELECT changes, count(*)::int AS orders FROM (SELECT order_id, count(*)::int AS changes FROM orders.order_status_changes GROUP BY order_id) per_order
    GROUP BY changes`);
  expect(history).toEqual([{ changes: 2, orders: 1500 }]);
}, 420_000); // 1,500 orders, three instances started and killed (up to 90 s each), then up to 120 s to drain
