import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailpointName } from '@io/fault/failpoints';
import type { ServiceName } from '@io/registry';
import { waitFor } from '../support/wait-for';
import { expectEveryOrderOnce } from './support/exactly-once';
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
 * Instance 0 of each service arms one of the two, alternating at every start, and is killed in it;
 * instance 1 stays up, so a client whose request failed retries through the other gateway (gateway
 * i calls instance i of each subgraph). Clients retry with idempotency keys; the ledger must come
 * out exact.
 */
const pauseMs = 6000;
const armed = new Map<string, FailpointName>();
const failpoints: FailpointName[] = ['consumer.applied', 'outbox.sent'];
let system: ProcessSystem;

beforeAll(async () => {
  system = await startProcessSystem({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    // Two gateways, each calling its own instance of each subgraph: a client whose gateway's orders
    // instance was just killed retries through the other.
    replicas: { inventory: 2, orders: 2, gateway: 2 },
    partitions: 6,
    // Evaluated at every start: a restarted instance arms the window its predecessor did not.
    instanceEnv: (name, index): Record<string, string> => {
      if ((name !== 'inventory' && name !== 'orders') || index !== 0) return {};
      const key = `${name}-${index}`;
      const previous = armed.get(key);
      const next = previous === undefined ? failpoints[0] : failpoints[(failpoints.indexOf(previous) + 1) % 2];
      armed.set(key, next);
      return { FAILPOINTS: `${next}=${pauseMs}` };
    },
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

/** Each time a start of instance 0 reached its failpoint: when, and which process (its log is appended to across restarts). */
function failpointLines(name: ServiceName): { time: number; pid: number }[] {
  return readFileSync(join(system.logDir, `${name}-0.log`), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"failpoint reached"'))
    .map((line) => JSON.parse(line) as { time: number; pid: number });
}

/** SIGKILL by pid: a process may reach its failpoint while it is still starting, before its instance is returned. */
function killProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
  }
}

test('inventory and orders instances SIGKILLed inside their commit windows while orders flow', async () => {
  const products = await createProducts(
    system.gatewayUrls()[0],
    Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 40 : 100_000)),
  );
  // At least two per service: one per window (FAULT_SCALE=0.1 would leave one).
  const rounds = Math.max(2, scaled(12));
  // Enough orders at this rate to outlast the kills (each costs a pause, a restart and a rebalance).
  const ratePerSecond = 25;
  const orderCount = rounds * 2 * 350;
  const load = sendOrders(
    () => system.gatewayUrls(),
    Array.from({ length: orderCount }, (_, index) => ({
      orderType: index % 7 === 0 ? ('BUY' as const) : ('SELL' as const),
      productId: products[index % products.length],
      quantity: 1 + (index % 3),
    })),
    { ratePerSecond, concurrency: 32 },
  );
  const watcher = watchStatuses(() => system.gatewayUrls()[0]);
  let loadDone = false;
  void load.finally(() => (loadDone = true));

  // Polled every 50 ms: instance 0 is killed, by the pid its log line names, as soon as it reaches
  // its failpoint (even while it is still starting), and started again until a start holds. A
  // process reaches its failpoint once; one seen too late, when its pause is nearly over, is killed
  // anyway (outside the window, not counted) so that its successor arms a window again.
  const kills: { service: ServiceName; failpoint: FailpointName }[] = [];
  let rearmed = 0;
  const seen = new Map<ServiceName, number>();
  const restarting = new Map<ServiceName, Promise<void>>();
  const restartUntilUp = async (service: ServiceName) => {
    const old = system.instancesOf(service).find((instance) => instance.index === 0)!;
    await old.exited;
    for (;;) {
      try {
        await system.restart(old);
        return;
      } catch (error) {
        if (!String(error).includes('while starting')) throw error; // killed in its window while starting: again
      }
    }
  };
  const windowKillsOf = (service: ServiceName) => kills.filter((kill) => kill.service === service).length;
  await waitFor(
    () => {
      for (const service of ['inventory', 'orders'] as const) {
        const lines = failpointLines(service);
        const latest = lines.slice(seen.get(service) ?? 0).at(-1);
        seen.set(service, lines.length);
        if (latest === undefined) continue;
        // Which window the process that wrote the line armed: the latest start's.
        const failpoint = armed.get(`${service}-0`)!;
        killProcess(latest.pid);
        if (Date.now() - latest.time < pauseMs - 2000) kills.push({ service, failpoint });
        else rearmed += 1;
        if (!restarting.has(service))
          restarting.set(
            service,
            restartUntilUp(service).finally(() => restarting.delete(service)),
          );
      }
      // Failpoints are only reached while orders flow.
      return (windowKillsOf('inventory') >= rounds && windowKillsOf('orders') >= rounds) || loadDone;
    },
    (orderCount / ratePerSecond) * 1000 + 120_000,
    `${rounds} kills in commit windows in each service (logs: ${system.logDir})`,
    50,
  );
  await Promise.all(restarting.values());
  const sent = await load;
  // Killed outside a window only to arm the next one (their count depends on timing): not counted.
  console.log(JSON.stringify({ windowKills: kills, rearmingKills: rearmed }));
  expect(windowKillsOf('inventory')).toBeGreaterThanOrEqual(rounds);
  expect(windowKillsOf('orders')).toBeGreaterThanOrEqual(rounds);
  // Every window was hit, in both services.
  for (const service of ['inventory', 'orders'] as const)
    for (const failpoint of failpoints)
      expect(kills.filter((kill) => kill.service === service && kill.failpoint === failpoint).length).toBeGreaterThan(
        0,
      );
  await expectEveryOrderOnce(system, sent, orderCount, watcher);
});
