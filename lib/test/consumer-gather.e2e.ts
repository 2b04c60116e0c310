import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { loadConfig } from '@io/config';
import { stockChanged, type StockChanged } from '@io/events/catalog';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { on, startEventConsumer } from '@io/kafka/consumer';
import { eventMessage } from '@io/kafka/message';
import { startProducer } from '@io/kafka/producer';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { createEnvelope } from '@io/events/envelope';
import { waitFor } from '../../test/support/wait-for';

/**
 * A consumer off the saga's path (the monitor) lets events gather on the broker and applies each
 * partition's share in one handler call (one transaction), where a consumer that fetches at once
 * applies them nearly one by one. Both groups read the same 40 events, sent one every 10 ms or so;
 * then, with nothing to read, the gathering group fetches no more often than the eager one.
 */
const config = loadConfig();
const logger = createLogger('consumer-gather-test', 'silent');
const topicName = topicNamer(`gather-${randomUUID().slice(0, 8)}.`);
let kafka: Kafka;
let producer: Producer;
let created: string[] = [];

beforeAll(async () => {
  kafka = createKafka('consumer-gather-test', kafkaConnection(config), logger);
  const admin = kafka.admin();
  await admin.connect();
  try {
    created = await ensureTopics(admin, topicName);
  } finally {
    await admin.disconnect();
  }
  producer = await startProducer(kafka);
});

afterAll(async () => {
  await producer?.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: created });
  } finally {
    await admin.disconnect();
  }
});

const change = (productId: number, stockVersion: number): StockChanged => ({
  productId,
  quantityChange: -1,
  stockQuantity: 100 - stockVersion,
  minStockLevel: 0,
  movementType: 'SALE',
  referenceId: null,
  stockVersion,
});

/** Starts a group reading stock-changed; counts the batches its handler was given and its fetches. */
async function countBatches(group: string, gatherMs: number | undefined) {
  const batches: number[] = [];
  const fetches = { count: 0 };
  const consumer = await startEventConsumer({
    kafka,
    groupId: topicName(group),
    handlers: [on(stockChanged, async (events) => void batches.push(events.length))],
    producer,
    topicName,
    logger,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    maxBatchSize: 500,
    gatherMs,
  });
  consumer.on(consumer.events.FETCH, () => (fetches.count += 1));
  return { batches, fetches, consumer };
}

test('a gathering consumer applies events in a few batches, one that fetches at once nearly one by one', async () => {
  const eager = await countBatches('eager', undefined);
  const gatherMs = 1000;
  const gathering = await countBatches('gathering', gatherMs);
  try {
    // Both groups have joined and fetch (their first fetch waits on an empty topic).
    await new Promise((settle) => setTimeout(settle, 2000));
    const sendingStarted = Date.now();
    for (let index = 0; index < 40; index += 1) {
      const data = change((index % 6) + 1, index + 1);
      await producer.send({
        topic: topicName(stockChanged.topic),
        acks: -1,
        messages: [eventMessage(randomUUID(), stockChanged.key(data), createEnvelope(stockChanged, data))],
      });
      await new Promise((settle) => setTimeout(settle, 10));
    }
    const sendingMs = Date.now() - sendingStarted;
    const total = (batches: number[]) => batches.reduce((sum, size) => sum + size, 0);
    await waitFor(
      () => total(eager.batches) >= 40 && total(gathering.batches) >= 40,
      20_000,
      'both groups to apply the 40 events',
    );

    expect(total(eager.batches)).toBe(40);
    expect(total(gathering.batches)).toBe(40);
    // One batch per partition (3) per fetch, and a fetch at most every `gatherMs` while the events came.
    expect(gathering.batches.length).toBeLessThanOrEqual(3 * (Math.ceil(sendingMs / gatherMs) + 1));
    expect(eager.batches.length).toBeGreaterThan(2 * gathering.batches.length);

    // Quiet: the gathering group's fetch is held by the broker as the eager group's is (kafkajs's
    // 5-s default), not answered empty every `gatherMs`.
    const before = { eager: eager.fetches.count, gathering: gathering.fetches.count };
    await new Promise((settle) => setTimeout(settle, 6 * gatherMs));
    const quietFetches = gathering.fetches.count - before.gathering;
    expect(quietFetches).toBeLessThanOrEqual(eager.fetches.count - before.eager + 1);
    expect(quietFetches).toBeLessThan(6);
  } finally {
    await Promise.all([eager.consumer.disconnect(), gathering.consumer.disconnect()]);
  }
});
