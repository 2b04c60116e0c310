import { randomBytes } from 'node:crypto';
import { loadConfig } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { startProducer } from '@io/kafka/producer';
import { createLogger } from '@io/logger';
import { waitFor } from './support/wait-for';

/** The embedded broker serves everything kafkajs needs: produce, consumer groups, admin. */
const kafka = createKafka('broker-test', kafkaConnection(loadConfig()), createLogger('test', 'silent'));
const topic = `broker-test-${randomBytes(4).toString('hex')}`;
const groupId = `${topic}-group`;
const admin = kafka.admin();

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
});

test('messages produced idempotently are consumed in key order by a consumer group, and admin reports offsets and the group', async () => {
  const producer = await startProducer(kafka);
  const consumer = kafka.consumer({ groupId });
  const received: string[] = [];
  try {
    const messages = Array.from({ length: 30 }, (_, index) => ({ key: `key-${index % 3}`, value: String(index) }));
    await producer.send({ topic, acks: -1, messages });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(`${message.key}:${message.value}`);
      },
    });
    await waitFor(() => received.length === 30, 20_000, 'all 30 messages');

    for (const key of ['key-0', 'key-1', 'key-2']) {
      const values = received
        .filter((entry) => entry.startsWith(`${key}:`))
        .map((entry) => Number(entry.split(':')[1]));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    const topicOffsets = await admin.fetchTopicOffsets(topic);
    expect(topicOffsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(30);
    const committed = await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const total = offsets.partitions.reduce((sum, partition) => sum + Math.max(Number(partition.offset), 0), 0);
        return total === 30 && offsets;
      },
      20_000,
      'committed offsets',
    );
    expect(committed.topic).toBe(topic);
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    expect(group).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' });
    expect(group.members).toHaveLength(1);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
});
