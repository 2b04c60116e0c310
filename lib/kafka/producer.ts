import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * The producer every service publishes with: idempotent (its own retries add no duplicates) and
 * one request in flight, so a retried batch can never overtake the next one.
 */
export async function startProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}
