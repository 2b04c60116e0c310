import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { settledLedger, sql } from './support/ledger';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';
import { waitFor } from '../support/wait-for';

/**
 * Scenario 7, the database restarted under load, on a developer's own machine: this file restarts
 * the local PostgreSQL cluster (Debian's pg_ctlcluster, as .ci/run starts it) and brings it back.
 * Services reconnect by themselves within 30 s; orders refused meanwhile say SERVICE_UNAVAILABLE;
 * no acknowledged order is lost.
 */
let system: ProcessSystem;

beforeAll(async () => {
  system = await startProcessSystem({ brokers: process.env.KAFKA_BROKERS!.split(',') });
}, 240_000);

afterAll(async () => {
  await system?.close();
});

function restartLocalPostgres(): void {
  const [version] = readdirSync('/etc/postgresql');
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart', '--mode', 'fast'], {
    stdio: 'inherit',
  });
}

test('PostgreSQL restarted under 50 orders/s: services reconnect within 30 s, no acknowledged order lost', async () => {
  const gateway = system.gatewayUrls()[0];
  const products = await createProducts(gateway, Array(10).fill(100_000));
  const watcher = watchStatuses(() => gateway);
  const load = sendOrders(
    () => [gateway],
    Array.from({ length: scaled(3000) }, (_, index) => ({
      orderType: 'SELL' as const,
      productId: products[index % products.length],
      quantity: 1,
    })),
    { ratePerSecond: 50, concurrency: 32 },
  );
  await new Promise((wake) => setTimeout(wake, 3000));
  const pids = system.instances.map((instance) => instance.child.pid);
  restartLocalPostgres();
  const restartedAt = Date.now();
  // Back within 30 s: an order is taken again through the gateway.
  await waitFor(
    async () =>
      (await sendOrders(() => [gateway], [{ orderType: 'SELL', productId: products[0], quantity: 1 }])).acked.length ===
      1,
    30_000,
    'an order to be taken after the restart',
    500,
  );
  const recoveredMs = Date.now() - restartedAt;
  const sent = await load;

  expect(recoveredMs).toBeLessThan(30_000);
  // Orders sent while the database was away were refused as retryable and taken on a retry with their key.
  expect(sent.failed).toEqual([]);
  expect(await settledLedger(system, 240_000)).toEqual([]);
  await watcher.waitForFinal(sent.acked, 120_000);
  await watcher.close();
  const acked = await sql<{ count: number }>(
    system.databaseUrl,
    `SELECT count(*)::int AS count FROM orders.orders WHERE id = ANY($1::int[])`,
    [sent.acked.map(Number)],
  );
  expect(acked[0].count).toBe(sent.acked.length);
  // No service needed a restart of its own.
  expect(system.instances.map((instance) => instance.child.pid)).toEqual(pids);
});
