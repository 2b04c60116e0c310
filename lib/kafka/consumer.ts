import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { deadLetter, topics } from '@io/events/catalog';
import { createEnvelope, type Envelope, type EventDefinition } from '@io/events/envelope';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from '@io/metrics/metrics';
import { applyTraced } from '@io/telemetry/messaging';
import { batchProcessor } from './batch-processor';
import { failureReason } from './failure';
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
  /** What to do about an event that was dead-lettered (see BatchProcessorOptions.giveUp). */
  giveUp?: (envelope: Envelope<T>, error: unknown) => Promise<void>;
}

export function on<T>(
  event: EventDefinition<T>,
  handle: (envelopes: Envelope<T>[]) => Promise<void>,
  giveUp?: (envelope: Envelope<T>, error: unknown) => Promise<void>,
): EventHandler<T> {
  return { event, handle, ...(giveUp ? { giveUp } : {}) };
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
  /** Counts messages consumed (per batch) and dead-lettered. */
  metrics?: ServiceMetrics;
  /** Attempts of a handler failing on a single event for a reason of its own before that event is dead-lettered. */
  maxAttempts?: number;
  retryDelayMs?: number;
  /** Most events handed to a handler at once (one transaction): CONSUMER_BATCH_MAX_EVENTS. */
  maxBatchSize: number;
  fromBeginning?: boolean;
  /** KAFKA_SESSION_TIMEOUT_MS. */
  sessionTimeoutMs: number;
  /**
   * How long events gather on the broker after each fetch that brought some (0 or unset: the next
   * fetch goes out at once). A consumer off the saga's path sets it so it applies a batch, not an
   * event, at a time.
   */
  gatherMs?: number;
}

/** How often a consumer waiting for events to gather heartbeats, so a long wait never costs it its partitions. */
const gatheringHeartbeatMs = 1000;

/**
 * The wait after a fetch while the next events gather. kafkajs fetches again only once every batch
 * of the last fetch was handled, so each batch handler awaits this wait, one wait shared by all the
 * batches of a fetch. Waiting here rather than on the broker (a fetch's minimum bytes and maximum
 * wait) leaves an idle consumer's fetch held by the broker for its full wait, as every consumer's
 * is: a broker-side wait returned an empty fetch every `gatherMs`, which cost the idle monitor
 * 0.4-0.5 % of a core (bench/RESULTS.md). And the first event after a quiet spell is applied at once.
 */
function gatheringWait(gatherMs: number) {
  let shared: Promise<void> | undefined;
  const current = () =>
    (shared ??= new Promise<void>((resolve) => {
      setTimeout(() => {
        shared = undefined;
        resolve();
      }, gatherMs).unref();
    }));
  return async (heartbeat: () => Promise<void>, isRunning: () => boolean): Promise<void> => {
    const over = current().then(() => true);
    const tick = () => new Promise<false>((beat) => setTimeout(() => beat(false), gatheringHeartbeatMs).unref());
    while (isRunning() && !(await Promise.race([over, tick()]))) await heartbeat();
  };
}

/**
 * Runs the handlers of one consumer group over what Kafka hands it, a partition's batch at a time
 * (see batchProcessor for the guarantees: offsets resolved only after their events were applied,
 * poison isolated and dead-lettered, outages retried). Partitions are independent (one key's events
 * share a partition), so they are worked in parallel.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<Consumer> {
  const { kafka, groupId, handlers, topicName, logger, metrics } = options;
  // Labels use the catalog's names, the same in every environment (the prefix is the environment).
  const prefix = topicName('');
  const group = groupId.startsWith(prefix) ? groupId.slice(prefix.length) : groupId;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    sessionTimeout: options.sessionTimeoutMs,
  });
  const gather = options.gatherMs ? gatheringWait(options.gatherMs) : undefined;
  await consumer.connect();

  const sendToDeadLetters =
    (topic: string, partition: number) => async (message: KafkaMessage, error: unknown, attempts: number) => {
      if (topic === topicName(topics.deadLetters)) {
        // A dead letter that cannot be handled is not dead-lettered again: that would loop forever.
        logger.error(
          { topic, partition, offset: message.offset, err: error },
          'dead letter could not be handled; skipped',
        );
        return;
      }
      const data = {
        consumerGroup: groupId,
        topic,
        partition,
        offset: message.offset,
        attempts,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        error: failureReason(error),
      };
      const envelope = createEnvelope(deadLetter, data);
      await options.producer.send({
        topic: topicName(topics.deadLetters),
        acks: -1,
        messages: [eventMessage(envelope.id, deadLetter.key(data), envelope)],
      });
      metrics?.kafkaProduced.inc({ topic: topics.deadLetters });
      metrics?.deadLetters.inc({ group, topic: topic.slice(prefix.length) });
      logger.error({ topic, partition, offset: message.offset, err: error }, 'message dead-lettered');
    };

  const processors = new Map(
    handlers.map((handler) => {
      const topic = topicName(handler.event.topic);
      const consumed = metrics?.kafkaConsumed.labels({ group, topic: handler.event.topic });
      return [
        topic,
        {
          consumed,
          forPartition: (partition: number) =>
            batchProcessor({
              ...handler,
              deadLetter: sendToDeadLetters(topic, partition),
              around: (messages, apply) => applyTraced(handler.event.topic, topic, messages, apply),
              logger,
              maxAttempts: options.maxAttempts ?? 5,
              retryDelayMs: options.retryDelayMs ?? 200,
              maxBatchSize: options.maxBatchSize,
            }),
        },
      ] as const;
    }),
  );
  await consumer.subscribe({ topics: [...processors.keys()], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatchAutoResolve: false,
    // The batch processor commits each transaction's offsets right after it (commitOffsetsIfNecessary,
    // which commits nothing without a threshold or an interval): a crash in the middle of a fetched
    // batch (up to 1 MB a partition) then replays at most one transaction's events per partition,
    // not the whole batch. A batch of one transaction still makes one offset commit.
    autoCommitThreshold: 1,
    eachBatch: async ({ batch, ...controls }) => {
      const processor = processors.get(batch.topic);
      if (!processor) return;
      await processor.forPartition(batch.partition)(batch.messages, controls);
      // Once per batch, after it was worked through (a batch cut short by a stop is delivered again).
      if (controls.isRunning()) processor.consumed?.inc(batch.messages.length);
      await gather?.(controls.heartbeat, controls.isRunning);
    },
  });
  return consumer;
}
