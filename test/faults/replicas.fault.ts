import { AssignerProtocol } from 'kafkajs';
import { createKafka } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { settledLedger, sql } from './support/ledger';
import { createProducts, sendOrders, watchStatuses, type StatusWatcher } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 1, replicas: two instances of each subgraph and two gateways on topics of six partitions;
 * orders from clients spread over both gateways. Partitions split between instances, no effect twice,
 * one relay per slice publishes each row once, and a subscriber on either gateway sees every order end.
 */
let system: ProcessSystem;
const watchers: StatusWatcher[] = [];

beforeAll(async () => {
  system = await startProcessSystem({
    brokers: process.env.KAFKA_BROKERS!.split(','),
    replicas: { inventory: 2, orders: 2, monitor: 2, gateway: 2 },
    partitions: 6,
  });
}, 180_000);

afterAll(async () => {
  await Promise.all(watchers.map((watcher) => watcher.close()));
  await system?.close();
});

test('2,000 orders over 100 products through two gateways and two instances of every subgraph', async () => {
  const orderCount = scaled(2000);
  const productCount = scaled(100);
  // Half the products cannot serve all their orders, so both outcomes run through the replicas.
  const perProduct = Math.ceil(orderCount / productCount);
  const products = await createProducts(
    system.gatewayUrls()[0],
    Array.from({ length: productCount }, (_, index) => (index % 2 === 0 ? perProduct * 2 : Math.floor(perProduct / 2))),
  );
  for (const gateway of system.gatewayUrls()) watchers.push(watchStatuses(() => gateway));
  await new Promise((settle) => setTimeout(settle, 1000));

  const sent = await sendOrders(
    () => system.gatewayUrls(),
    Array.from({ length: orderCount }, (_, index) => ({
      orderType: 'SELL' as const,
      productId: products[index % productCount],
      quantity: 1,
    })),
    { concurrency: 16 },
  );
  expect(sent.failed).toEqual([]);
  expect(sent.acked).toHaveLength(orderCount);

  // The books first: when something is stuck, their report says what (outbox, lag, pending orders).

  expect(await settledLedger(system, 240_000)).toEqual([]);

  for (const watcher of watchers) await watcher.waitForFinal(sent.acked, 180_000);

  // Both instances of each consumer took partitions.
  const admin = createKafka('fault-check', system.kafka, createLogger('check', 'silent')).admin();
  await admin.connect();
  try {
    for (const service of ['inventory', 'orders']) {
      const { groups } = await admin.describeGroups([`${system.prefix}${service}-service`]);
      const assigned = groups[0].members.map(
        (member) =>
          Object.values(AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {}).flat()
            .length,
      );
      expect({ service, members: assigned.length, idle: assigned.filter((count) => count === 0).length }).toEqual({
        service,
        members: 2,
        idle: 0,
      });
    }
    // Each order-created row was published once, though two relays watch the orders outbox.
    const published = (await admin.fetchTopicOffsets(`${system.prefix}order-created`)).reduce(
      (sum, partition) => sum + Number(partition.high),
      0,
    );
    expect(published).toBe(orderCount);
  } finally {
    await admin.disconnect();
  }

  const [{ confirmed }] = await sql<{ confirmed: number }>(
    system.databaseUrl,
    `SELECT count(*)::int AS confirmed FROM orders.orders WHERE status = 'CONFIRMED'`,
  );
  expect(confirmed).toBeGreaterThan(0);
  expect(confirmed).toBeLessThan(orderCount);
});
