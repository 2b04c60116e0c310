import {
  Partitioners,
  type ICustomPartitioner,
  type Kafka,
  type Message,
  type ProducerBatch,
  type ProducerConfig,
  type RecordMetadata,
} from 'kafkajs';
import { IncompleteSendError, startProducer } from '@io/kafka/producer';

/**
 * A stand-in for kafkajs' producer that partitions like it (through the partitioner it is given)
 * and acknowledges what `answered` lets through: kafkajs 2.2.4 resolves a send whose retry skipped a
 * partition (tulios/kafkajs#1303), which is what `answered` imitates.
 */
function fakeKafka(answered: (partition: number) => boolean) {
  const kafka = {
    producer: (config: ProducerConfig) => {
      const partition = (config.createPartitioner as ICustomPartitioner)();
      const partitionMetadata = [0, 1, 2].map((partitionId) => ({
        partitionId,
        partitionErrorCode: 0,
        leader: partitionId,
        replicas: [],
        isr: [],
      }));
      const sendBatch = async (batch: ProducerBatch): Promise<RecordMetadata[]> => {
        const records: RecordMetadata[] = [];
        for (const { topic, messages } of batch.topicMessages ?? []) {
          const partitions = new Set(
            messages.map((message: Message) => partition({ topic, partitionMetadata, message })),
          );
          // A tick between partitioning and answering, so that concurrent sends interleave.
          await new Promise((wake) => setImmediate(wake));
          for (const chosen of [...partitions].filter(answered))
            records.push({ topicName: topic, partition: chosen, errorCode: 0, baseOffset: '0' });
        }
        return records;
      };
      return {
        connect: async () => undefined,
        sendBatch,
        send: (record: { topic: string; messages: Message[]; acks?: number }) =>
          sendBatch({ acks: record.acks, topicMessages: [{ topic: record.topic, messages: record.messages }] }),
      };
    },
  };
  return kafka as unknown as Kafka;
}

// Keys that the default partitioner spreads over all three partitions.
const messages = Array.from({ length: 12 }, (_, index) => ({ key: `order-${index}`, value: 'x' }));

test('a send that kafkajs resolved without writing to one of its partitions fails, naming the partition', async () => {
  const producer = await startProducer(fakeKafka((partition) => partition !== 1));
  const sent = producer.sendBatch({ acks: -1, topicMessages: [{ topic: 'order-created', messages }] });
  await expect(sent).rejects.toBeInstanceOf(IncompleteSendError);
  await expect(sent).rejects.toMatchObject({ missing: ['order-created:1'] });
  await expect(producer.send({ topic: 'dead-letters', acks: -1, messages })).rejects.toThrow('dead-letters:1');
});

test('a send acknowledged for every partition it chose resolves with the acknowledgement', async () => {
  const producer = await startProducer(fakeKafka(() => true));
  const records = await producer.sendBatch({ acks: -1, topicMessages: [{ topic: 'order-created', messages }] });
  expect(records.map((record) => record.partition).sort()).toEqual([0, 1, 2]);
});

test('concurrent sends are checked each against its own partitions', async () => {
  // Partition 2 is never acknowledged: only the send that chose it may fail.
  const producer = await startProducer(fakeKafka((partition) => partition !== 2));
  const partition = defaultPartition();
  const toZero = messages.filter((message) => partition(message) === 0);
  const toTwo = messages.filter((message) => partition(message) === 2);
  expect([toZero.length > 0, toTwo.length > 0]).toEqual([true, true]);
  const results = await Promise.allSettled([
    producer.sendBatch({ acks: -1, topicMessages: [{ topic: 't', messages: toZero }] }),
    producer.sendBatch({ acks: -1, topicMessages: [{ topic: 't', messages: toTwo }] }),
  ]);
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
});

/** The default partitioner's choice among three partitions for a message, as the producer makes it. */
function defaultPartition() {
  const partition = Partitioners.DefaultPartitioner();
  const partitionMetadata = [0, 1, 2].map((partitionId) => ({
    partitionId,
    partitionErrorCode: 0,
    leader: 0,
    replicas: [],
    isr: [],
  }));
  return (message: Message) => partition({ topic: 't', partitionMetadata, message });
}
