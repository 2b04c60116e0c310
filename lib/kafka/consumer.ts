import type { Batch, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { deadLetter, topics } from '../events/catalog';
import { createEnvelope, InvalidEventError, parseEnvelope, type Envelope, type EventDefinition } from '../events/envelope';
import type { Logger } from '../logger';
import { eventMessage } from './message';
import type { TopicNamer } from './topics';

/**
 * What a consumer group does with one event type. `handle` receives the events of one partition in
 * offset order, several at a time, and must apply them all or none (one transaction); it must be
 * idempotent per event, since Kafka may deliver an event again after a crash.
 */
export interface EventHandler<T> {
  event: EventDefinition<T>;
  handle: (envelopes: Envelope<T>[]) => Promise<void>;
}

/** A handler that applies a whole batch at once (the saga's hot paths). */
export function onBatch<T>(event: EventDefinition<T>, handle: (envelopes: Envelope<T>[]) => Promise<void>): EventHandler<T> {
  return { event, handle };
}

/** A handler for rare events: one at a time, in order. */
export function onEach<T>(event: EventDefinition<T>, handle: (envelope: Envelope<T>) => Promise<void>): EventHandler<T> {
  return {
    event,
    handle: async (envelopes) => {
      for (const envelope of envelopes) await handle(envelope);
    },
  };
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
  /** Attempts of a failing handler on a single event before that event is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Most events handed to a handler at once (one transaction). */
  maxBatchSize?: number;
  fromBeginning?: boolean;
  /** See KAFKA_SESSION_TIMEOUT_MS. */
  sessionTimeoutMs?: number;
}

interface Parsed {
  message: KafkaMessage;
  envelope: Envelope<unknown>;
}

/**
 * Runs the handlers of one consumer group over what Kafka hands it, a partition's batch at a time:
 * the valid events of a batch go to their handler together, and their offsets are resolved only
 * after the handler returned (its transaction committed), so a crash re-delivers, never skips.
 * A message that cannot be parsed or validated is dead-lettered at once. When a handler fails on a
 * batch, the batch is retried one event at a time, so one poison event is isolated and
 * dead-lettered after `maxAttempts` while the events around it are applied. Either way the
 * partition moves on, so one poison message never stalls the others.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<Consumer> {
  const { kafka, groupId, handlers, topicName, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const maxBatchSize = options.maxBatchSize ?? 500;
  const byTopic = new Map(handlers.map((handler) => [topicName(handler.event.topic), handler]));
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, sessionTimeout: options.sessionTimeoutMs ?? 10_000 });
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

  /** One event alone, retried with backoff; dead-lettered when it keeps failing. */
  const handleAlone = async (handler: EventHandler<unknown>, batch: Batch, { message, envelope }: Parsed, heartbeat: () => Promise<void>) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handler.handle([envelope]);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          await sendToDeadLetters(batch.topic, batch.partition, message, error, attempt);
          return;
        }
        logger.warn({ err: error, topic: batch.topic, offset: message.offset, attempt }, 'event handler failed; retrying');
        await new Promise((wake) => setTimeout(wake, retryDelayMs * 2 ** (attempt - 1)));
        await heartbeat();
      }
    }
  };

  await consumer.run({
    // Partitions are independent (one key's events share a partition), so they are worked in parallel.
    partitionsConsumedConcurrently: 3,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const handler = byTopic.get(batch.topic);
      if (!handler) return;
      for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + maxBatchSize);
        const parsed: Parsed[] = [];
        for (const message of chunk) {
          try {
            parsed.push({ message, envelope: parseEnvelope(handler.event, message.value) });
          } catch (error) {
            if (!(error instanceof InvalidEventError)) throw error;
            await sendToDeadLetters(batch.topic, batch.partition, message, error, 0);
          }
        }
        if (parsed.length > 0) {
          try {
            await handler.handle(parsed.map((item) => item.envelope));
          } catch (error) {
            logger.warn({ err: error, topic: batch.topic, events: parsed.length }, 'batch handler failed; retrying its events one at a time');
            for (const item of parsed) await handleAlone(handler, batch, item, heartbeat);
          }
        }
        resolveOffset(chunk[chunk.length - 1].offset);
        await commitOffsetsIfNecessary();
        await heartbeat();
      }
    },
  });
  return consumer;
}
