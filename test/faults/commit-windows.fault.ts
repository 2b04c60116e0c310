import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailpointName } from '@io/fault/failpoints';
import type { ServiceName } from '@io/registry';
import { waitFor } from '../support/wait-for';
import { settledLedger, sql } from './support/ledger';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 2, hard kills where they hurt most, not where chance puts them: an inventory or orders
 * instance SIGKILLed while it holds one of the two windows in which a crash could apply an event
 * twice or lose it, held open by a failpoint (lib/fault/failpoints.ts):
 * - `consumer.applied`: its batch's transaction committed, the batch's offsets not yet committed,
 *   so the events are delivered again (to the survivor or to the restarted instance);
 * - `outbox.sent`: its relay's batch is on Kafka, the transaction marking those rows sent not yet
 *   committed, so the rows are published again.
 * Each instance arms one of the two, alternating at every start, and is killed in it. Clients
 * retry with idempotency keys; the ledger must come out exact.
 */
const pauseMs = 6000;
const armed = new Map<string, FailpointName>();
const failpoints: FailpointName[] = ['consumer.applied', 'outbox.sent'];
let system: ProcessSystem;

beforeAll(async () => {
  system = await startProcessSystem({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    replicas: { inventory: 2, orders: 2 },
    partitions: 6,
    // Evaluated at every start: a restarted instance arms the other window than its predecessor.
    instanceEnv: (name, index): Record<string, string> => {
      if (name !== 'inventory' && name !== 'orders') return {};
      const key = `${name}-${index}`;
      const previous = armed.get(key);
      const next = previous === undefined ? failpoints[index % 2] : failpoints[(failpoints.indexOf(previous) + 1) % 2];
      armed.set(key, next);
      return { FAILPOINTS: `${next}=${pauseMs}` };
    },
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

/** When each start of an instance reached its failpoint (its log is appended to across restarts). */
function failpointTimes(name: ServiceName, index: number): number[] {
  return readFileSync(join(system.logDir, `${name}-${index}.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"failpoint reached"'))
    .map((line) => (JSON.parse(line) as { time: number }).time);
}

test('inventory and orders instances SIGKILLed inside their commit windows while orders flow', async () => {
  const products = await createProducts(
    system.gatewayUrls()[0],
    Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 40 : 100_000)),
  );
  const rounds = scaled(12);
  // Enough orders at this rate to outlast the kills (each costs a pause, a restart and a rebalance).
  const orderCount = rounds * 2 * 250;
  const load = sendOrders(
    () => system.gatewayUrls(),
    Array.from({ length: orderCount }, (_, index) => ({
      orderType: index % 7 === 0 ? ('BUY' as const) : ('SELL' as const),
      productId: products[index % products.length],
      quantity: 1 + (index % 3),
    })),
    { ratePerSecond: 25, concurrency: 32 },
  );
  const watcher = watchStatuses(() => system.gatewayUrls()[0]);

  // Polled every 50 ms; an instance is killed as soon as it reaches its failpoint (well inside the
  // pause: a line older than that is left alone) and started again in the background.
  const kills: { service: ServiceName; index: number; failpoint: FailpointName }[] = [];
  const seen = new Map<string, number>();
  const restarting = new Map<string, Promise<unknown>>();
  await waitFor(
    () => {
      for (const service of ['inventory', 'orders'] as const) {
        for (const instance of system.instancesOf(service)) {
          const key = `${service}-${instance.index}`;
          if (restarting.has(key)) continue;
          const times = failpointTimes(service, instance.index);
          const fresh = times.slice(seen.get(key) ?? 0);
          seen.set(key, times.length);
          const latest = fresh.at(-1);
          if (latest === undefined || Date.now() - latest > pauseMs - 2000) continue;
          instance.child.kill('SIGKILL');
          kills.push({ service, index: instance.index, failpoint: armed.get(key)! });
          restarting.set(
            key,
            instance.exited.then(() => system.restart(instance)).finally(() => restarting.delete(key)),
          );
        }
      }
      return kills.length >= rounds * 2;
    },
    rounds * 2 * 60_000,
    `${rounds * 2} kills in commit windows (logs: ${system.logDir})`,
    50,
  );
  await Promise.all(restarting.values());
  const sent = await load;

  // Every window was hit, in both services.
  for (const service of ['inventory', 'orders'] as const)
    for (const failpoint of failpoints)
      expect(kills.filter((kill) => kill.service === service && kill.failpoint === failpoint).length).toBeGreaterThan(
        0,
      );
  expect(sent.failed).toEqual([]);
  expect(new Set(sent.acked).size).toBe(orderCount);
  expect(await settledLedger(system, 240_000)).toEqual([]);
  await watcher.waitForFinal(sent.acked, 240_000);
  await watcher.close();
  const [{ stored }] = await sql<{ stored: number }>(
    system.databaseUrl,
    `SELECT count(*)::int AS stored FROM orders.orders`,
  );
  expect(stored).toBe(orderCount);
});
