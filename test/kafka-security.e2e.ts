import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { loadConfig } from '@io/config';
import { topics } from '@io/events/catalog';
import { consumerGroupName, topicNamer } from '@io/kafka/topics';
import { replayUsers, type ServiceName } from '@io/registry';
import { embeddedMechanism, type EmbeddedCredentials } from '../scripts/kafka/credentials';
import { waitForKafka } from '../scripts/kafka/local-broker';
import { fixtures } from './support/fixtures';
import { attemptWrite, brokerCredentials } from './support/kafka-users';
import { startTestSystem, type TestSystem } from './support/test-system';

/**
 * Kafka is a way in too (issue 9): the suite's embedded broker takes only its own users, and each
 * service's user may write only the topics it produces. A forged `order-cancelled` made inventory
 * give back the stock of an order that stayed CONFIRMED; now only orders may write that topic.
 */
let system: TestSystem;
let f: ReturnType<typeof fixtures>;
let credentials: EmbeddedCredentials;
const brokers = loadConfig().KAFKA_BROKERS.split(',');

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
  const found = brokerCredentials(system.config);
  if (!found) throw new Error('these tests need the embedded broker (its credentials file) on KAFKA_PORT');
  credentials = found;
}, 120_000);

afterAll(async () => {
  await system?.close();
});

const client = (options: Partial<KafkaConfig> = {}) =>
  new Kafka({ clientId: 'security-test', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...options });

const as = (user: string, options: Partial<KafkaConfig> = {}) =>
  client({ sasl: { mechanism: embeddedMechanism, username: user, password: credentials.users[user] }, ...options });

/** Connects and asks for the topic list: what any client does first. */
async function listTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

const name = (topic: string) => topicNamer(system.config.KAFKA_TOPIC_PREFIX)(topic);

const messagesIn = async (topic: string) => {
  const admin = as('monitor').admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await admin.disconnect();
  }
};

test('a client without credentials is refused, and the readiness check says the broker may require SASL', async () => {
  await expect(listTopics(client())).rejects.toThrow(/Closed connection/);
  await expect(waitForKafka({ brokers }, 2_000)).rejects.toThrow(/may require SASL/);
});

test('a client with a wrong password is refused at once, with its user named', async () => {
  const wrong = { mechanism: embeddedMechanism, username: 'orders', password: `${credentials.users.orders}x` } as const;
  await expect(listTopics(client({ sasl: wrong }))).rejects.toMatchObject({
    name: 'KafkaJSSASLAuthenticationError',
  });
  // No retries until a timeout: a wrong password is not a broker still starting.
  await expect(waitForKafka({ brokers, sasl: wrong }, 60_000)).rejects.toThrow(/refused user orders/);
});

test('a service writing a topic it does not own is refused with TOPIC_AUTHORIZATION_FAILED; the saga runs on per-service users', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 4 }]);
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  expect(await f.stockOf(productId)).toBe(6);

  const cancelled = name(topics.orderCancelled);
  const before = await messagesIn(cancelled);
  const forged = JSON.stringify({
    id: '00000000-0000-4000-8000-000000000001',
    type: 'OrderCancelled',
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { orderId: Number(orderId), orderType: 'SELL', previousStatus: 'CONFIRMED' },
  });
  // The gateway, inventory and the monitor do not produce order-cancelled: only orders does (and
  // the monitor's replayer user, which it logs in as only to replay a dead letter).
  for (const user of ['gateway', 'inventory', 'monitor'] as const)
    expect(await attemptWrite(as(user), cancelled, forged)).toBe('TOPIC_AUTHORIZATION_FAILED');
  // And the orders user may not forge inventory's verdicts either.
  expect(await attemptWrite(as('orders'), name(topics.orderProcessed), forged)).toBe('TOPIC_AUTHORIZATION_FAILED');

  expect(await messagesIn(cancelled)).toBe(before);
  expect(await f.orderStatus(orderId)).toBe('CONFIRMED');
  expect(await f.stockOf(productId)).toBe(6);
});

test("the monitor's own user may write only its own topics; its replayer user may write the topics consumers read, and nothing else", async () => {
  const [replayer] = replayUsers;
  expect(credentials.users[replayer]).toEqual(expect.any(String));
  // A cancellation of an order that does not exist: inventory only notes it, should it ever come.
  const cancellation = JSON.stringify({
    id: '00000000-0000-4000-8000-000000000002',
    type: 'OrderCancelled',
    version: 1,
    occurredAt: new Date().toISOString(),
    data: { orderId: 2_000_000_000, orderType: 'SELL', previousStatus: 'CONFIRMED' },
  });
  const cancelled = name(topics.orderCancelled);
  expect(await attemptWrite(as('monitor'), cancelled, cancellation)).toBe('TOPIC_AUTHORIZATION_FAILED');
  expect(await attemptWrite(as('monitor'), name(topics.orderCreated), cancellation)).toBe('TOPIC_AUTHORIZATION_FAILED');
  const before = await messagesIn(cancelled);
  expect(await attemptWrite(as(replayer), cancelled, cancellation)).toBe('written');
  expect(await messagesIn(cancelled)).toBe(before + 1);
  // What the monitor owns, it still writes as itself; the replayer may not write the monitor's alerts.
  expect(await attemptWrite(as('monitor'), name(topics.alertRaised), '{}')).toBe('written');
  expect(await attemptWrite(as(replayer), name(topics.alertRaised), '{}')).toBe('TOPIC_AUTHORIZATION_FAILED');
  await expect(listTopics(as(replayer))).resolves.toEqual(expect.any(Array));
});

test("a service may not read another service's consumer group nor a topic it does not consume", async () => {
  const groupOf = (service: ServiceName, instance: string) =>
    consumerGroupName(topicNamer(system.config.KAFKA_TOPIC_PREFIX), service, instance);
  // Retries as kafkajs does by default: the refusal must not be a broker that was briefly busy.
  const admin = as('gateway', { retry: undefined }).admin();
  await admin.connect();
  try {
    const topic = name(topics.orderStatusChanged);
    // Its own groups it may read; inventory's the broker will not even locate for it (kafkajs
    // reports the coordinator lookup's GROUP_AUTHORIZATION_FAILED as "not found").
    await expect(
      admin.fetchOffsets({ groupId: groupOf('gateway', 'security-test'), topics: [topic] }),
    ).resolves.toEqual([expect.objectContaining({ topic })]);
    await expect(
      admin.fetchOffsets({ groupId: groupOf('inventory', 'service'), topics: [topic] }),
    ).rejects.toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
  } finally {
    await admin.disconnect();
  }
  // The gateway reads the topics of its subscriptions and nothing else: order-created is not one.
  const consumer = as('gateway').consumer({ groupId: groupOf('gateway', 'security-test') });
  await consumer.connect();
  try {
    await expect(consumer.subscribe({ topics: [name(topics.orderCreated)] })).rejects.toMatchObject({
      type: 'TOPIC_AUTHORIZATION_FAILED',
    });
  } finally {
    await consumer.disconnect();
  }
});
