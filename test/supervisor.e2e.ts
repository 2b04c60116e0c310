import { fixtures } from './support/fixtures';
import { startWithStartScript, type StartedSystem } from './support/start-script';
import { waitFor } from './support/wait-for';

/**
 * `npm start`'s supervisor (scripts/start.ts) with its services as real processes: a service
 * killed with SIGKILL comes back on its own while the others keep running.
 */
let system: StartedSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startWithStartScript();
  f = fixtures(system);
}, 200_000);

afterAll(async () => {
  await system?.stop();
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('inventory killed with SIGKILL during a burst of orders is restarted; every order is finalized, no request refused, no other service stopped', async () => {
  const productId = await f.createProduct({ stockQuantity: 10_000 });
  const others = (['orders', 'monitor', 'gateway'] as const).map((name) => [name, system.pidOf(name)!] as const);
  const inventoryPid = system.pidOf('inventory')!;

  const failures: string[] = [];
  const orderIds: string[] = [];
  let sent = 0;
  const burst = Promise.all(
    Array.from({ length: 8 }, async () => {
      while (sent < 200) {
        sent += 1;
        try {
          orderIds.push(await f.createOrder('SELL', [{ productId, quantity: 1 }]));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }),
  );
  await waitFor(() => orderIds.length >= 40, 60_000, '40 orders accepted');
  process.kill(inventoryPid, 'SIGKILL');
  await burst;

  const restartedPid = await system.readyAgain('inventory', inventoryPid);
  expect(restartedPid).not.toBe(inventoryPid);
  expect(failures).toEqual([]);
  expect(orderIds).toHaveLength(200);
  const statuses = await f.waitForAllProcessed(orderIds, 120_000);
  expect(new Set(statuses)).toEqual(new Set(['CONFIRMED']));
  expect(await f.stockOf(productId)).toBe(10_000 - 200);
  expect(await f.ledgerViolations()).toEqual([]);

  // The others ran through it all, in the processes they started in.
  for (const [name, pid] of others) expect({ name, pid, alive: alive(pid) }).toEqual({ name, pid, alive: true });
  expect(system.output()).not.toContain('stopping');
  expect(system.output()).toMatch(/\[start\] inventory exited \(SIGKILL\); restart 1 in \d+ ms/);

  // The restarted process reports its restart, and the monitor records it with its probes.
  const health = await (await fetch(`http://127.0.0.1:${system.ports.inventory}/health`)).json();
  expect(health).toEqual({ status: 'healthy', service: 'inventory', restarts: 1 });
  const seen = await waitFor(
    async () => {
      const { data } = await system.graphql<{ serviceHealth: { status: string; restarts: number } }>(
        '{ serviceHealth(service: "inventory") { status restarts } }',
      );
      return data?.serviceHealth.restarts === 1 && data.serviceHealth;
    },
    30_000,
    'the monitor to record the restart',
  );
  expect(seen).toEqual({ status: 'HEALTHY', restarts: 1 });
}, 300_000);

test('Ctrl-C (SIGTERM) still stops everything, the supervisor exiting 0', async () => {
  const pids = (['inventory', 'orders', 'monitor', 'gateway'] as const).map((name) => system.pidOf(name)!);
  expect(await system.stop()).toBe(0);
  expect(pids.filter(alive)).toEqual([]);
}, 60_000);
