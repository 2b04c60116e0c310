import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { parseEnvelope, type Envelope, type EventDefinition } from '../../../lib/events/envelope';
import type { TopicNamer } from '../../../lib/kafka/topics';
import type { Logger } from '../../../lib/logger';

/** An event as this gateway replica received it; `sequence` orders every event the replica saw. */
export interface HubEvent<T = unknown> {
  sequence: number;
  topic: string;
  envelope: Envelope<T>;
  receivedAt: number;
}

export type HubListener = (event: HubEvent) => void;

export interface EventHubOptions {
  kafka: Kafka;
  topicName: TopicNamer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions of different payload types
  events: EventDefinition<any>[];
  /** Events are kept this long so that a client can resume after a reconnect. */
  windowMs: number;
  maxEventsPerTopic?: number;
  logger: Logger;
}

/**
 * Every Kafka event a subscription can deliver, for this gateway replica. Each replica reads every
 * event (a consumer group of its own) and keeps a bounded window of recent ones, refilled from
 * Kafka by timestamp at start-up, so a client that reconnects to any replica can resume.
 */
export class EventHub {
  private consumer?: Consumer;
  private sequence = 0;
  private readonly windows = new Map<string, HubEvent[]>();
  private readonly byId = new Map<string, HubEvent>();
  private readonly listeners = new Map<string, Set<HubListener>>();
  private pruneTimer?: NodeJS.Timeout;

  constructor(private readonly options: EventHubOptions) {}

  async start(): Promise<void> {
    const { kafka, topicName, events, logger } = this.options;
    const groupId = topicName(`gateway-${process.pid}-${randomBytes(4).toString('hex')}`);
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const consumer = this.consumer;
    await consumer.connect();
    const byTopic = new Map(events.map((definition) => [topicName(definition.topic), definition]));
    await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: false });
    const ready = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      // Nothing to commit: a replica that restarts refills its window by timestamp instead.
      autoCommit: false,
      eachMessage: async ({ topic, message }) => {
        const definition = byTopic.get(topic)!;
        try {
          this.add(topic, parseEnvelope(definition, message.value));
        } catch (error) {
          logger.warn({ err: error, topic, offset: message.offset }, 'event not deliverable to subscribers; skipped');
        }
      },
    });
    await ready;
    await this.rewind([...byTopic.keys()]);
    this.pruneTimer = setInterval(() => this.prune(), Math.max(1000, Math.min(this.options.windowMs, 60_000)));
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.consumer?.disconnect();
    this.listeners.clear();
  }

  /** Registers a listener for new events of a topic; returns the function that removes it. */
  listen(topic: string, listener: HubListener): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    set.add(listener);
    this.listeners.set(topic, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(topic);
    };
  }

  /** The kept events of a topic that came after the event with id `afterId`; undefined if that id is not kept. */
  eventsAfter(topic: string, afterId: string): HubEvent[] | undefined {
    const anchor = this.byId.get(afterId);
    if (!anchor || anchor.topic !== topic) return undefined;
    return (this.windows.get(topic) ?? []).filter((event) => event.sequence > anchor.sequence);
  }

  get currentSequence(): number {
    return this.sequence;
  }

  listenerCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }

  private add(topic: string, envelope: Envelope<unknown>): void {
    if (this.byId.has(envelope.id)) return; // at-least-once delivery: a duplicate is not delivered twice
    const event: HubEvent = { sequence: (this.sequence += 1), topic, envelope, receivedAt: Date.now() };
    const window = this.windows.get(topic) ?? [];
    window.push(event);
    this.windows.set(topic, window);
    this.byId.set(envelope.id, event);
    if (window.length > (this.options.maxEventsPerTopic ?? 10_000)) this.byId.delete(window.shift()!.envelope.id);
    for (const listener of this.listeners.get(topic) ?? []) listener(event);
  }

  private prune(): void {
    const oldest = Date.now() - this.options.windowMs;
    for (const window of this.windows.values()) {
      while (window.length > 0 && window[0].receivedAt < oldest) this.byId.delete(window.shift()!.envelope.id);
    }
  }

  /** Re-reads the last window of every topic, so resumes work right after this replica started. */
  private async rewind(topics: string[]): Promise<void> {
    if (this.options.windowMs === 0) return;
    const admin: Admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const since = Date.now() - this.options.windowMs;
      for (const topic of topics) {
        for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, since)) {
          this.consumer!.seek({ topic, partition, offset });
        }
      }
    } finally {
      await admin.disconnect();
    }
  }
}
