import { randomUUID } from 'node:crypto';
import { fixtures } from './support/fixtures';
import { startWithStartScript, type StartedSystem } from './support/start-script';
import { waitFor } from './support/wait-for';

/**
 * The system as `npm start` runs it, every service a real process: a service killed with SIGKILL
 * comes back on its own while the others keep running (the supervisor, scripts/start.ts); a frozen
 * one (SIGSTOP) costs the gateway's callers a bounded wait, then nothing while its circuit is open;
 * clients that retry with idempotency keys through a gateway killed mid-request create each order once.
 */
// Long enough that a loaded test machine's slow answers are not taken for a frozen subgraph.
const timeoutMs = 8000;
const halfOpenAfterMs = 3000;
let system: StartedSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startWithStartScript({
    SUBGRAPH_TIMEOUT_MS: String(timeoutMs),
    SUBGRAPH_BREAKER_FAILURES: '3',
    SUBGRAPH_BREAKER_HALF_OPEN_MS: String(halfOpenAfterMs),
  });
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

test('inventory frozen (SIGSTOP): product reads fail with SERVICE_UNAVAILABLE naming it within the timeout, then at once while its circuit is open; orders still answer; it recovers after SIGCONT', async () => {
  const productId = await f.createProduct({ name: 'Frozen', stockQuantity: 5 });
  const read = async () => {
    const started = performance.now();
    const answer = await system.graphql<{ product: { name: string } }>(
      'query ($id: ID!) { product(id: $id) { name } }',
      { id: productId },
    );
    return { answer, elapsedMs: performance.now() - started };
  };
  const inventoryPid = system.pidOf('inventory')!;
  process.kill(inventoryPid, 'SIGSTOP');
  try {
    const timedOut = [await read(), await read(), await read()];
    for (const { answer, elapsedMs } of timedOut) {
      expect(answer.errors?.[0]).toMatchObject({
        message: `the inventory service did not answer within ${timeoutMs} ms; try again shortly`,
        extensions: { code: 'SERVICE_UNAVAILABLE', service: 'inventory', reason: 'timeout' },
      });
      // Bounded by the timeout (plus a loaded machine's slack), not by TCP's minutes.
      expect(elapsedMs).toBeGreaterThanOrEqual(timeoutMs - 50);
      expect(elapsedMs).toBeLessThan(timeoutMs + 10_000);
    }

    // Three failures in a row opened the circuit: the next callers are answered without waiting.
    const fast = await read();
    expect(fast.answer.errors?.[0].extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      service: 'inventory',
      reason: 'circuit-open',
    });
    expect(fast.elapsedMs).toBeLessThan(timeoutMs);

    // Another subgraph's reads do not wait on it.
    const orders = await system.graphql<{ orderCount: number }>('{ orderCount }');
    expect(orders.errors).toBeUndefined();
  } finally {
    process.kill(inventoryPid, 'SIGCONT');
  }

  // After the half-open delay one request tries again, finds it back, and the circuit closes.
  const recovered = await waitFor(
    async () => {
      const { answer } = await read();
      return answer.data?.product ?? undefined;
    },
    60_000,
    'inventory to answer through the gateway again',
    500,
  );
  expect(recovered).toEqual({ name: 'Frozen' });
  expect(system.pidOf('inventory')).toBe(inventoryPid);
}, 120_000);

test('the gateway killed with SIGKILL in the middle of a burst of keyed createOrder requests: clients retry with their keys, and every order exists exactly once', async () => {
  const productId = await f.createProduct({ stockQuantity: 10_000 });
  const customerName = `Retrying ${randomUUID()}`;
  const gatewayPid = system.pidOf('gateway')!;
  const createOrder = `mutation ($input: CreateOrderInput!, $key: String) { createOrder(input: $input, idempotencyKey: $key) { id } }`;
  const input = {
    orderType: 'SELL',
    customerName,
    customerEmail: 'retry@example.com',
    items: [{ productId, quantity: 1, unitPrice: '10.00' }],
  };
  const keys = Array.from({ length: 120 }, () => randomUUID());
  const orderOfKey = new Map<string, string>();
  let failedAttempts = 0;

  /** What a careful client does: the same key until it gets an answer. */
  const send = async (key: string) => {
    const giveUpAt = Date.now() + 120_000;
    while (Date.now() < giveUpAt) {
      try {
        const answer = await system.graphql<{ createOrder: { id: string } }>(createOrder, { input, key });
        if (answer.data?.createOrder) return orderOfKey.set(key, answer.data.createOrder.id);
        throw new Error(JSON.stringify(answer.errors));
      } catch {
        failedAttempts += 1;
        await new Promise((wake) => setTimeout(wake, 250));
      }
    }
    throw new Error(`no answer for key ${key} within 120 s`);
  };
  const queue = [...keys];
  const clients = Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) await send(key);
    }),
  );
  await waitFor(() => orderOfKey.size >= 30, 60_000, '30 orders answered');
  process.kill(gatewayPid, 'SIGKILL');
  await system.readyAgain('gateway', gatewayPid);
  await clients;

  expect(failedAttempts).toBeGreaterThan(0);
  expect(orderOfKey.size).toBe(120);
  expect(new Set(orderOfKey.values()).size).toBe(120);
  const stored = await f.sql<{ id: number }>('SELECT id FROM orders.orders WHERE customer_name = $1', [customerName]);
  expect(stored.map((row) => String(row.id)).sort()).toEqual([...orderOfKey.values()].sort());
  const statuses = await f.waitForAllProcessed([...orderOfKey.values()], 120_000);
  expect(new Set(statuses)).toEqual(new Set(['CONFIRMED']));
  expect(await f.stockOf(productId)).toBe(10_000 - 120);
  expect(await f.ledgerViolations()).toEqual([]);
}, 300_000);

test('Ctrl-C (SIGTERM) still stops everything, the supervisor exiting 0', async () => {
  const pids = (['inventory', 'orders', 'monitor', 'gateway'] as const).map((name) => system.pidOf(name)!);
  expect(await system.stop()).toBe(0);
  expect(pids.filter(alive)).toEqual([]);
}, 60_000);
