import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminUser, credentialsEnv } from '../scripts/kafka/credentials';
import { startLocalKafka, type RunningBroker } from '../scripts/kafka/local-broker';
import { fixtures } from './support/fixtures';
import { freePort } from './support/free-port';
import { startTestSystem, type TestSystem } from './support/test-system';

/** A broker of this test's own (the shared one serves the other test files), killed and restarted mid-flight. */
let broker: RunningBroker;
let brokerOptions: Parameters<typeof startLocalKafka>[0];
let brokerHome: string;
let system: TestSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  brokerHome = mkdtempSync(join(tmpdir(), 'kafka-outage-'));
  brokerOptions = {
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir: join(brokerHome, 'data'),
    credentialsFile: join(brokerHome, 'credentials.json'),
    log: () => undefined,
  };
  broker = await startLocalKafka(brokerOptions);
  system = await startTestSystem(
    { KAFKA_BROKERS: broker.brokers.join(','), ...credentialsEnv(broker.credentials, adminUser) },
    { kafkaCredentials: broker.credentials },
  );
  f = fixtures(system);
}, 120_000);

afterAll(async () => {
  await system?.close();
  await broker?.stop();
  rmSync(brokerHome, { recursive: true, force: true });
});

test('orders taken while the broker is down are kept and processed exactly once when it is back', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const before = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(before)).toBe('CONFIRMED');

  await broker.stop();
  const during = await Promise.all(
    Array.from({ length: 5 }, () => f.createOrder('SELL', [{ productId, quantity: 1 }])),
  );
  expect(await Promise.all(during.map(f.orderStatus))).toEqual(Array(5).fill('PENDING'));
  const [{ waiting }] = await f.sql<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM orders.outbox_events WHERE topic = 'order-created' AND published_at IS NULL`,
  );
  expect(waiting).toBe(5);

  broker = await startLocalKafka(brokerOptions);

  expect(await f.waitForAllProcessed(during, 120_000)).toEqual(Array(5).fill('CONFIRMED'));
  expect(await f.stockOf(productId)).toBe(4);
  expect(await f.ledgerViolations()).toEqual([]);
}, 180_000);
