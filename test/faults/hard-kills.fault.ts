import type { ServiceName } from '@io/registry';
import { expectEveryOrderOnce } from './support/exactly-once';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 2, hard kills: SIGKILL instances of inventory, orders and the gateway at random moments
 * while orders flow (two of each, so the survivor takes the partitions over; a killed instance
 * is started again). Kills land anywhere: inside a batch's transaction, between its commit and its
 * offset commit, in the middle of a request. Clients retry with an idempotency key: every intended
 * order is stored once and applied exactly once.
 */
let system: ProcessSystem;

beforeAll(async () => {
  system = await startProcessSystem({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    replicas: { inventory: 2, orders: 2, gateway: 2 },
    partitions: 6,
    // A killed consumer's partitions move to the survivor after the broker's shortest session timeout.
    env: { KAFKA_SESSION_TIMEOUT_MS: '6000' },
  });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

const randomBetween = (low: number, high: number) => low + Math.random() * (high - low);

test('inventory, orders and gateway instances SIGKILLed at random moments during a 5,000-order run', async () => {
  const products = await createProducts(
    system.gatewayUrls()[0],
    Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 30 : 100_000)),
  );
  const orderCount = scaled(5000);
  const killsPerService = scaled(20);
  const load = sendOrders(
    () => system.gatewayUrls(),
    Array.from({ length: orderCount }, (_, index) => ({
      orderType: index % 7 === 0 ? ('BUY' as const) : ('SELL' as const),
      productId: products[index % products.length],
      quantity: 1 + (index % 3),
    })),
    { ratePerSecond: 100, concurrency: 64 },
  );
  const watcher = watchStatuses(() => system.gatewayUrls()[1]);

  const kills: { service: ServiceName; index: number; atMs: number }[] = [];
  const started = Date.now();
  const targets: ServiceName[] = ['inventory', 'orders', 'gateway'];
  for (let round = 0; round < killsPerService; round += 1) {
    for (const service of targets) {
      await new Promise((wake) => setTimeout(wake, randomBetween(200, 1500)));
      // The watcher's gateway (1) stays up; other services lose either instance.
      const index = service === 'gateway' ? 0 : Math.floor(Math.random() * 2);
      const instance = system.instancesOf(service).find((candidate) => candidate.index === index)!;
      instance.child.kill('SIGKILL');
      await instance.exited;
      kills.push({ service, index, atMs: Date.now() - started });
      await system.restart(instance);
    }
  }
  const sent = await load;
  expect(kills).toHaveLength(killsPerService * targets.length);

  // Clients retried every doubtful request with its idempotency key: each intended order exists once.
  await expectEveryOrderOnce(system, sent, orderCount, watcher);
});
