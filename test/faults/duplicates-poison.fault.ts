import type { Consumer, Producer } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { createKafka } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { settledLedger, sql } from './support/ledger';
import { createProducts, sendOrders, watchStatuses } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 4, duplicates and poison: every event of the run is delivered three times (a copier in
 * this test publishes each message twice more, as a producer retry or a replayed partition would),
 * and three invalid messages sit among them. No effect happens twice, no status goes backwards, the
 * poison is dead-lettered after bounded retries while the rest flows, and every group's lag returns to 0.
 */
let system: ProcessSystem;
let copier: { consumer: Consumer; producer: Producer };
const copyHeader = 'x-fault-copy';

beforeAll(async () => {
  system = await startProcessSystem({ brokers: process.env.KAFKA_BROKERS!.split(',') });
  const kafka = createKafka('fault-copier', system.kafka, createLogger('copier', 'silent'));
  copier = { consumer: kafka.consumer({ groupId: `${system.prefix}fault-copier` }), producer: kafka.producer() };
  await Promise.all([copier.consumer.connect(), copier.producer.connect()]);
  const copied = Object.values(topics)
    .filter((topic) => topic !== topics.deadLetters)
    .map((topic) => `${system.prefix}${topic}`);
  await copier.consumer.subscribe({ topics: copied, fromBeginning: true });
  await copier.consumer.run({
    eachMessage: async ({ topic, message }) => {
      if (message.headers?.[copyHeader]) return;
      const copy = { key: message.key, value: message.value, headers: { ...message.headers, [copyHeader]: '1' } };
      await copier.producer.send({ topic, acks: -1, messages: [copy, copy] });
    },
  });
}, 180_000);

afterAll(async () => {
  await copier?.consumer.disconnect();
  await copier?.producer.disconnect();
  await system?.close();
});

test('1,000 orders with every event delivered three times and three poison messages among them', async () => {
  const gateway = system.gatewayUrls()[0];
  const products = await createProducts(
    gateway,
    Array.from({ length: 20 }, (_, index) => (index % 4 === 0 ? 5 : 1000)),
  );
  const watcher = watchStatuses(() => gateway);
  const producer = copier.producer;
  const poison = [
    { key: '1', value: 'not json', headers: { [copyHeader]: 'poison' } },
    {
      key: '2',
      value: JSON.stringify({ eventId: 'not-a-uuid', type: 'order-created', payload: {} }),
      headers: { [copyHeader]: 'poison' },
    },
    { key: '3', value: JSON.stringify({ orderId: -1 }), headers: { [copyHeader]: 'poison' } },
  ];

  const orderCount = scaled(1000);
  const [sent] = await Promise.all([
    sendOrders(
      () => [gateway],
      Array.from({ length: orderCount }, (_, index) => ({
        orderType: index % 10 === 0 ? ('BUY' as const) : ('SELL' as const),
        productId: products[index % products.length],
        quantity: 1 + (index % 2),
      })),
      { concurrency: 8 },
    ),
    // The poison arrives in the middle of the run, on the topic the saga depends on.
    new Promise((wake) => setTimeout(wake, 1000)).then(() =>
      producer.send({ topic: `${system.prefix}${topics.orderCreated}`, acks: -1, messages: poison }),
    ),
  ]);
  expect(sent.failed).toEqual([]);

  // The books first: when something is stuck, their report says what (outbox, lag, pending orders).

  expect(await settledLedger(system, 240_000)).toEqual([]);

  await watcher.waitForFinal(sent.acked, 180_000);

  // Each order was decided once although its order-created arrived three times.
  const [{ decisions }] = await sql<{ decisions: number }>(
    system.databaseUrl,
    `SELECT count(*)::int AS decisions FROM orders.order_status_changes WHERE to_status IN ('CONFIRMED', 'REJECTED')`,
  );
  expect(decisions).toBe(orderCount);
  // No status went backwards on the subscriber's stream either: PENDING first, then one final status.
  const backwards = sent.acked.filter((id) => {
    const seen = watcher.seen.get(id) ?? [];
    return seen[0] !== 'PENDING' || seen.length !== 2;
  });
  expect(backwards).toEqual([]);
  await watcher.close();

  // Exactly the three poison messages were set aside, once each (the copier leaves them alone).
  const admin = createKafka('fault-check', system.kafka, createLogger('check', 'silent')).admin();
  await admin.connect();
  try {
    const deadLetters = (await admin.fetchTopicOffsets(`${system.prefix}${topics.deadLetters}`)).reduce(
      (sum, partition) => sum + Number(partition.high),
      0,
    );
    expect(deadLetters).toBe(poison.length);
  } finally {
    await admin.disconnect();
  }
});
