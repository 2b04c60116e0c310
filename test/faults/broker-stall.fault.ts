import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalKafka, type RunningBroker } from '../../scripts/kafka/local-broker';
import { freePort } from '../support/free-port';
import { settledLedger } from './support/ledger';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 3, a broker that stalls and one that dies: a broker of this file's own is SIGSTOPped for
 * 30 s under 100 orders/s and continued, then SIGKILLed and restarted. Nothing is lost or doubled,
 * every service recovers without a restart of its own (same processes throughout), and a subscriber
 * resumes with `after` without a gap.
 */
let broker: RunningBroker;
let brokerOptions: Parameters<typeof startLocalKafka>[0];
let system: ProcessSystem;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fault-broker-'));
  brokerOptions = {
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir,
    credentialsFile: `${dataDir}.credentials.json`,
    log: () => undefined,
  };
  broker = await startLocalKafka(brokerOptions);
  system = await startProcessSystem({ brokers: broker.brokers, kafkaCredentials: broker.credentials });
}, 240_000);

afterAll(async () => {
  if (broker?.pid) process.kill(broker.pid, 'SIGCONT');
  await system?.close();
  await broker?.stop();
  rmSync(brokerOptions.dataDir!, { recursive: true, force: true });
  rmSync(brokerOptions.credentialsFile!, { force: true });
});

const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

test('the broker stopped for 30 s under 100 orders/s, then killed and restarted: nothing lost or doubled', async () => {
  const gateway = system.gatewayUrls()[0];
  const products = await createProducts(gateway, Array(20).fill(100_000));
  const watcher = watchStatuses(() => gateway);
  const processes = system.instances.map((instance) => instance.child.pid);
  const stallMs = Math.max(10_000, scaled(30_000));
  const orders = (count: number, offset: number) =>
    Array.from({ length: count }, (_, index) => ({
      orderType: 'SELL' as const,
      productId: products[(index + offset) % products.length],
      quantity: 1,
    }));

  // Stall: the broker's process stops answering, connections stay open (the hardest case for clients).
  const stalled = sendOrders(() => [gateway], orders(Math.round((stallMs / 1000) * 100) + 500, 0), {
    ratePerSecond: 100,
    concurrency: 64,
  });
  await pause(2500);
  process.kill(broker.pid!, 'SIGSTOP');
  await pause(stallMs);
  process.kill(broker.pid!, 'SIGCONT');
  const duringStall = await stalled;
  // Orders are stored in PostgreSQL with their outbox row: taking them never needed the broker.
  expect(duringStall.failed).toEqual([]);
  // The books first: when something is stuck, their report says what (outbox, lag, pending orders).
  expect(await settledLedger(system, 240_000)).toEqual([]);
  await watcher.waitForFinal(duringStall.acked, 180_000);

  // Loss: the broker killed outright and started again on the same data.
  const killed = sendOrders(() => [gateway], orders(scaled(1000), 7), { ratePerSecond: 100, concurrency: 64 });
  await pause(2000);
  process.kill(broker.pid!, 'SIGKILL');
  await pause(5000);
  broker = await startLocalKafka(brokerOptions);
  const duringLoss = await killed;
  expect(duringLoss.failed).toEqual([]);
  await watcher.waitForFinal(duringLoss.acked, 180_000);

  expect(await settledLedger(system)).toEqual([]);
  // Every service rode it out in the process it started in.
  expect(system.instances.map((instance) => instance.child.pid)).toEqual(processes);
  expect(system.instances.filter((instance) => instance.child.exitCode !== null)).toEqual([]);
  // The subscriber saw each order created and decided, once, in order, across the outage.
  const gaps = [...duringStall.acked, ...duringLoss.acked].filter(
    (id) => (watcher.seen.get(id) ?? []).join(',') !== `PENDING,${watcher.seen.get(id)?.[1]}`,
  );
  expect(gaps).toEqual([]);
  await watcher.close();
});
