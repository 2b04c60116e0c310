import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { deadLetter, topics } from '../events/catalog';
import { createEnvelope, InvalidEventError, parseEnvelope, type Envelope, type EventDefinition } from '../events/envelope';
import type { Logger } from '../logger';
import { eventMessage } from './message';
import type { TopicNamer } from './topics';

/** A handler for one event type; it must be idempotent (the same event may arrive twice). */
export interface EventHandler<T> {
  event: EventDefinition<T>;
  handle: (envelope: Envelope<T>) => Promise<void>;
}

export function on<T>(event: EventDefinition<T>, handle: (envelope: Envelope<T>) => Promise<void>): EventHandler<T> {
  return { event, handle };
}

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of handlers of different event types
  handlers: EventHandler<any>[];
  /** Publishes to the dead-letter topic. */
  producer: Producer;
  topicName: TopicNamer;
  logger: Logger;
  /** Attempts of a failing handler before its message is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  fromBeginning?: boolean;
}

/**
 * Runs handlers for the catalog events of one consumer group. A message that cannot be parsed or
 * validated is dead-lettered at once; a handler that keeps failing is dead-lettered after
 * `maxAttempts`. Either way the partition moves on, so one poison message never stalls the others.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<Consumer> {
  const { kafka, groupId, handlers, topicName, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const byTopic = new Map(handlers.map((handler) => [topicName(handler.event.topic), handler]));
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: options.fromBeginning ?? true });

  const sendToDeadLetters = async (topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number) => {
    if (topic === topicName(topics.deadLetters)) {
      // A dead letter that cannot be handled is not dead-lettered again: that would loop forever.
      logger.error({ topic, partition, offset: message.offset, err: error }, 'dead letter could not be handled; skipped');
      return;
    }
    const data = {
      consumerGroup: groupId, topic, partition, offset: message.offset, attempts,
      key: message.key?.toString() ?? null, value: message.value?.toString() ?? null,
      error: error instanceof Error ? error.message : String(error),
    };
    const envelope = createEnvelope(deadLetter, data);
    await options.producer.send({
      topic: topicName(topics.deadLetters), acks: -1,
      messages: [eventMessage(envelope.id, deadLetter.key(data), envelope)],
    });
    logger.error({ topic, partition, offset: message.offset, error: data.error }, 'message dead-lettered');
  };

  await consumer.run({
    // Partitions are independent (one key's events share a partition), so they are worked in parallel.
    partitionsConsumedConcurrently: 3,
    eachMessage: async ({ topic, partition, message }) => {
      const handler = byTopic.get(topic);
      if (!handler) return;
      let envelope: Envelope<unknown>;
      try {
        envelope = parseEnvelope(handler.event, message.value);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        await sendToDeadLetters(topic, partition, message, error, 0);
        return;
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          await handler.handle(envelope);
          return;
        } catch (error) {
          if (attempt >= maxAttempts) {
            await sendToDeadLetters(topic, partition, message, error, attempt);
            return;
          }
          logger.warn({ err: error, topic, attempt }, 'event handler failed; retrying');
          await new Promise((wake) => setTimeout(wake, retryDelayMs * 2 ** (attempt - 1)));
        }
      }
    },
  });
  return consumer;
}
