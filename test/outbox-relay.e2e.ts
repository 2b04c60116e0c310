import type { Producer, ProducerBatch } from 'kafkajs';
import { Pool } from 'pg';
import { z } from 'zod';
import { defineEvent } from '@io/events/envelope';
import { createLogger } from '@io/logger';
import { outboxEntry } from '@io/outbox/append';
import { OutboxRelay } from '@io/outbox/relay';
import { createTestDatabase } from './support/test-database';
import { waitFor } from './support/wait-for';

/**
 * The outbox relay on the real PostgreSQL, with a producer that stands in for Kafka (the broker is
 * not what is tested here): what it publishes, in which order, and what it does when sending fails.
 */
const tick = defineEvent({
  topic: 'tick',
  type: 'Tick',
  version: 1,
  key: (data) => String(data.n % 3),
  schema: z.object({ n: z.number() }),
  about: { summary: 'a test event', key: 'n mod 3', producer: 'the test' },
});

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 6 });
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

beforeEach(async () => {
  await pool.query('TRUNCATE orders.outbox_events');
});

/** A producer that records what it sent and fails while `failing` says so. */
function fakeProducer(failing: () => boolean = () => false) {
  const sent: { topic: string; key: string; n: number }[] = [];
  let sends = 0;
  const producer = {
    sendBatch: async (batch: ProducerBatch) => {
      sends += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (failing())
        throw Object.assign(new Error('Connection error: connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' });
      for (const { topic, messages } of batch.topicMessages ?? []) {
        for (const message of messages)
          sent.push({ topic, key: String(message.key), n: JSON.parse(String(message.value)).data.n });
      }
      return [];
    },
  } as unknown as Producer;
  return { producer, sent, sends: () => sends };
}

async function insertEvents(from: number, count: number): Promise<void> {
  const entries = Array.from({ length: count }, (_, index) => outboxEntry(tick, { n: from + index }));
  await pool.query(
    `INSERT INTO orders.outbox_events (id, topic, key, payload) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[])`,
    [
      entries.map((e) => e.envelope.id),
      entries.map((e) => e.topic),
      entries.map((e) => e.key),
      entries.map((e) => JSON.stringify(e.envelope)),
    ],
  );
}

const unpublished = async () =>
  Number((await pool.query('SELECT count(*) FROM orders.outbox_events WHERE published_at IS NULL')).rows[0].count);

function relay(
  producer: Producer,
  batchSize = 50,
  pollMs = 50,
  newProducer?: () => Promise<Producer>,
  vacuumEveryMs = 0,
  retentionMs = 0,
) {
  return new OutboxRelay({
    pool,
    dbSchema: 'orders',
    producer,
    newProducer,
    topicName: (topic) => `env.${topic}`,
    pollMs,
    vacuumEveryMs,
    retentionMs,
    logger: createLogger('relay', 'silent'),
    batchSize,
  });
}

const manualVacuums = async () =>
  Number(
    (
      await pool.query(
        `SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = 'orders' AND relname = 'outbox_events'`,
      )
    ).rows[0].vacuum_count,
  );

test('a relay that published vacuums its outbox; an idle one does not', async () => {
  const { producer } = fakeProducer();
  const before = await manualVacuums();
  await insertEvents(0, 120);
  const running = relay(producer, 50, 50, undefined, 300);
  await running.start();
  try {
    await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain');
    await waitFor(async () => (await manualVacuums()) > before, 10_000, 'a vacuum of the outbox');
    const afterPublishing = await manualVacuums();
    // Nothing published since: three more periods go by without one.
    await new Promise((settle) => setTimeout(settle, 1000));
    expect(await manualVacuums()).toBe(afterPublishing);
  } finally {
    await running.stop();
  }
});

const keptNumbers = async () =>
  (
    await pool.query<{ n: number }>(
      `SELECT (payload->'data'->>'n')::int AS n FROM orders.outbox_events ORDER BY sequence`,
    )
  ).rows.map((row) => row.n);

test('a relay that published deletes the rows published before the retention, and keeps the others', async () => {
  const { producer } = fakeProducer();
  await insertEvents(0, 100);
  const running = relay(producer, 50, 50, undefined, 300, 3_600_000);
  await running.start();
  try {
    await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain');
    // The first 60 as if published two hours ago; then more rows to publish, which makes the relay due.
    await pool.query(
      `UPDATE orders.outbox_events SET published_at = now() - interval '2 hours' WHERE (payload->'data'->>'n')::int < 60`,
    );
    await insertEvents(100, 10);
    await waitFor(async () => (await keptNumbers()).length === 50, 10_000, 'the expired rows to be deleted');
    expect(await keptNumbers()).toEqual(Array.from({ length: 50 }, (_, index) => 60 + index));
    expect(await unpublished()).toBe(0);
  } finally {
    await running.stop();
  }
});

test('rows are published in commit order, many per send, with the topic prefix, and marked published', async () => {
  const { producer, sent, sends } = fakeProducer();
  await insertEvents(0, 120);
  const running = relay(producer);
  await running.start();
  await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain');
  await running.stop();
  expect(sent.map((message) => message.n)).toEqual(Array.from({ length: 120 }, (_, n) => n));
  expect(new Set(sent.map((message) => message.topic))).toEqual(new Set(['env.tick']));
  expect(sends()).toBe(3);
});

test('while Kafka refuses, rows stay unpublished; once it is back, each is published once', async () => {
  let down = true;
  const { producer, sent, sends } = fakeProducer(() => down);
  await insertEvents(0, 10);
  const running = relay(producer);
  await running.start();
  await waitFor(() => sends() >= 3, 10_000, 'a few failed sends');
  expect(await unpublished()).toBe(10);
  expect(sent).toEqual([]);
  down = false;
  await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain after the outage');
  await running.stop();
  expect(sent.map((message) => message.n)).toEqual(Array.from({ length: 10 }, (_, n) => n));
});

test('two relays of one slice, as two replicas run them, never publish the same row twice and keep its order', async () => {
  const first = fakeProducer();
  const second = fakeProducer();
  const relays = [relay(first.producer, 7), relay(second.producer, 7)];
  await Promise.all(relays.map((running) => running.start()));
  for (let round = 0; round < 20; round += 1) await insertEvents(round * 10, 10);
  await waitFor(async () => (await unpublished()) === 0, 15_000, 'the outbox to drain');
  await Promise.all(relays.map((running) => running.stop()));
  const all = [...first.sent, ...second.sent].map((message) => message.n);
  expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, n) => n));
  for (const { sent } of [first, second]) {
    const ns = sent.map((message) => message.n);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  }
});

describe('with a safety-net poll too rare to matter (60 s)', () => {
  const rarePoll = 60_000;

  test('a commit wakes the relay through NOTIFY', async () => {
    const { producer, sent } = fakeProducer();
    const running = relay(producer, 50, rarePoll);
    await running.start();
    await insertEvents(0, 5);
    await waitFor(async () => (await unpublished()) === 0, 5000, 'the NOTIFY to wake the relay');
    await running.stop();
    expect(sent.map((message) => message.n)).toEqual([0, 1, 2, 3, 4]);
  });

  test('a cut LISTEN connection is replaced, and rows committed meanwhile are published without waiting for the poll', async () => {
    const { producer, sent } = fakeProducer();
    const running = relay(producer, 50, rarePoll);
    await running.start();
    const { rows } = await pool.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
    );
    expect(rows).toEqual([{ terminated: true }]);
    await insertEvents(0, 5);
    await waitFor(async () => (await unpublished()) === 0, 5000, 'the relay to listen again and drain');
    await insertEvents(5, 5);
    await waitFor(async () => (await unpublished()) === 0, 5000, 'a NOTIFY on the new connection');
    await running.stop();
    expect(sent.map((message) => message.n)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('a failed publish is retried after a short backoff, not at the next poll', async () => {
    let failures = 2;
    const { producer, sent, sends } = fakeProducer(() => failures-- > 0);
    const running = relay(producer, 50, rarePoll);
    await running.start();
    await insertEvents(0, 3);
    await waitFor(async () => (await unpublished()) === 0, 5000, 'the retries to publish');
    await running.stop();
    expect(sends()).toBeGreaterThanOrEqual(3);
    expect(sent.map((message) => message.n)).toEqual([0, 1, 2]);
  });
});

test('a producer refused with OUT_OF_ORDER_SEQUENCE_NUMBER is replaced by a new one, which publishes every row once', async () => {
  // What kafkajs throws once the new leader of a partition refuses the producer's retried batch: a
  // protocol error, not retriable, wrapped by the retrier; the same producer then fails for good.
  const outOfOrder = Object.assign(new Error('The broker received an out of order sequence number'), {
    name: 'KafkaJSNumberOfRetriesExceeded',
    cause: Object.assign(new Error('The broker received an out of order sequence number'), {
      name: 'KafkaJSProtocolError',
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
      code: 45,
      retriable: false,
    }),
  });
  let brokenSends = 0;
  let brokenDisconnected = false;
  const broken = {
    sendBatch: async () => {
      brokenSends += 1;
      throw outOfOrder;
    },
    disconnect: async () => {
      brokenDisconnected = true;
    },
  } as unknown as Producer;
  const replacement = fakeProducer();
  let created = 0;
  await insertEvents(0, 30);
  const running = relay(broken, 50, 50, async () => {
    created += 1;
    return replacement.producer;
  });
  await running.start();
  await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain through the new producer');
  await running.stop();
  expect(brokenSends).toBe(1);
  expect(brokenDisconnected).toBe(true);
  expect(created).toBe(1);
  expect(running.producer).toBe(replacement.producer);
  expect(replacement.sent.map((message) => message.n)).toEqual(Array.from({ length: 30 }, (_, n) => n));
});

test('other send failures keep the producer (a broker away is not a broken producer)', async () => {
  let down = true;
  const { producer, sent, sends } = fakeProducer(() => down);
  let created = 0;
  await insertEvents(0, 5);
  const running = relay(producer, 50, 50, async () => {
    created += 1;
    return fakeProducer().producer;
  });
  await running.start();
  await waitFor(() => sends() >= 3, 10_000, 'a few failed sends');
  down = false;
  await waitFor(async () => (await unpublished()) === 0, 10_000, 'the outbox to drain after the outage');
  await running.stop();
  expect(created).toBe(0);
  expect(running.producer).toBe(producer);
  expect(sent.map((message) => message.n)).toEqual([0, 1, 2, 3, 4]);
});
