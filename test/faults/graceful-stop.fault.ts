import { serviceNames } from '@io/registry';
import { expectEveryOrderOnce } from './support/exactly-once';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 6, graceful stop: SIGTERM to one instance of each service in turn while orders flow.
 * Requests in flight when the signal arrives are answered; later ones are refused before anything is
 * stored (a closed port), never cut off midway; the process exits 0 within its drain time; nothing is lost.
 */
let system: ProcessSystem;
const drainMs = 20_000;

beforeAll(async () => {
  system = await startProcessSystem({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    replicas: { inventory: 2, orders: 2, monitor: 2, gateway: 2 },
    partitions: 6,
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

test('SIGTERM to an instance of every service under load: exit 0 within the drain time, nothing lost', async () => {
  const products = await createProducts(system.gatewayUrls()[0], Array(20).fill(100_000));
  const watcher = watchStatuses(() => system.gatewayUrls()[1]);
  const orderCount = scaled(4000);
  const load = sendOrders(
    () => system.gatewayUrls(),
    Array.from({ length: orderCount }, (_, index) => ({
      orderType: 'SELL' as const,
      productId: products[index % products.length],
      quantity: 1,
    })),
    { ratePerSecond: 50, concurrency: 32 },
  );

  const exits: { service: string; code: number | null; ms: number }[] = [];
  for (const name of serviceNames) {
    await new Promise((wake) => setTimeout(wake, 3000));
    // Instance 0; the watcher listens on gateway 1, which stays up.
    const instance = system.instancesOf(name)[0];
    const signalled = Date.now();
    instance.child.kill('SIGTERM');
    exits.push({ service: name, code: await instance.exited, ms: Date.now() - signalled });
    await system.restart(instance);
  }
  const sent = await load;

  for (const exit of exits)
    expect({ ...exit, withinDrain: exit.ms < drainMs }).toEqual({ ...exit, code: 0, withinDrain: true });
  // A request that reached a stopping process was answered; one refused while an instance was away
  // (a closed port, SERVICE_UNAVAILABLE) was retried with its idempotency key.
  await expectEveryOrderOnce(system, sent, orderCount, watcher);
});
