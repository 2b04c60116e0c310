import { AsyncLocalStorage } from 'node:async_hooks';
import { Partitioners, type ICustomPartitioner, type Kafka, type Producer, type RecordMetadata } from 'kafkajs';

/**
 * kafkajs 2.2.4 (its last release) can resolve a send that never reached some of its partitions:
 * a send that spans several brokers remembers the brokers that answered, and when one request fails
 * and a partition's leadership moves to a broker that has already answered, the retry skips that
 * broker, so the partition's messages are never sent (tulios/kafkajs#1303; the fix proposed in
 * #1798 is unreleased). The cluster test lost whole outbox batches to it when a leader was killed.
 * Every send is therefore checked: the partitions the partitioner chose for it must all be in its
 * acknowledgement, else it fails, and its caller sends again (consumers deduplicate by event id).
 */
export class IncompleteSendError extends Error {
  override readonly name = 'IncompleteSendError';
  constructor(readonly missing: string[]) {
    super(`kafkajs resolved a send that did not write to ${missing.join(', ')}; send it again`);
  }
}

/** The topic:partition pairs the partitioner chose during the current send (one set per send). */
const chosenPartitions = new AsyncLocalStorage<Set<string>>();

const recordingPartitioner: ICustomPartitioner = () => {
  const partition = Partitioners.DefaultPartitioner();
  return (args) => {
    const chosen = partition(args);
    chosenPartitions.getStore()?.add(`${args.topic}:${chosen}`);
    return chosen;
  };
};

async function checked(acks: number | undefined, send: () => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
  const chosen = new Set<string>();
  const acknowledged = await chosenPartitions.run(chosen, send);
  if (acks === 0) return acknowledged; // nothing is acknowledged, nothing can be checked
  const written = new Set(acknowledged.map((record) => `${record.topicName}:${record.partition}`));
  const missing = [...chosen].filter((partition) => !written.has(partition));
  if (missing.length > 0) throw new IncompleteSendError(missing);
  return acknowledged;
}

/**
 * The producer every service publishes with: idempotent (its own retries add no duplicates), one
 * request in flight, so a retried batch can never overtake the next one, and every send checked
 * for partitions it skipped (see IncompleteSendError).
 */
export async function startProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: recordingPartitioner,
  });
  const { send, sendBatch } = producer;
  producer.send = (record) => checked(record.acks, () => send(record));
  producer.sendBatch = (batch) => checked(batch.acks, () => sendBatch(batch));
  await producer.connect();
  return producer;
}
