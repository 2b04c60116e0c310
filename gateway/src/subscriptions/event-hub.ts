import { randomBytes } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { parseEnvelope, type Envelope, type EventDefinition } from '@io/events/envelope';
import { consumerGroupName, type TopicNamer } from '@io/kafka/topics';
import type { Logger } from '@io/logger';
import { receiveTraced } from '@io/telemetry/messaging';
import { ByteSlab } from './byte-slab';
import { EventLog, type LoggedEvent, type LogRead } from './event-log';
import { RecentCache } from './recent-cache';

/**
 * An event as this gateway replica received it, with its place in the replica's log: the bytes
 * Kafka delivered (already validated), parsed again by `envelope` when a subscriber reaches it.
 */
export type HubEvent = LoggedEvent<Buffer>;

export type HubListener = (event: HubEvent) => void;

export interface EventHubOptions {
  kafka: Kafka;
  topicName: TopicNamer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions of different payload types
  events: EventDefinition<any>[];
  /** Events are kept this long, and at most this many bytes of them, so that a client can resume after a reconnect. */
  windowMs: number;
  windowBytes: number;
  /** Told of every event as it arrives, before any subscriber is woken for it. */
  onEvent?: (definition: EventDefinition<unknown>) => void;
  logger: Logger;
}

/**
 * Every Kafka event a subscription can deliver, for this gateway replica. Each replica reads every
 * event (a consumer group of its own) and keeps a window of recent ones, bounded in bytes and age,
 * refilled from Kafka by timestamp at start-up, so a client that reconnects to any replica can
 * resume. Subscribers read the window at their own pace; listeners are only woken up.
 */
export class EventHub {
  private consumer?: Consumer;
  private readonly log: EventLog<Buffer>;
  private readonly slab = new ByteSlab();
  private readonly parsed = new RecentCache<number, Envelope<unknown>>(parsedEnvelopeCacheEntries);
  /** Per topic: listeners of every event (key ''), and listeners of one key's events only. */
  private readonly listeners = new Map<string, Map<string, Set<HubListener>>>();
  private readonly keyOf: Map<string, (data: unknown) => string>;
  private pruneTimer?: NodeJS.Timeout;
  /**
   * Where each partition continues (`topic:partition` → offset). The hub commits nothing, so when
   * its consumer rejoins the group (a broker that stalled past the session timeout, a restarted
   * consumer) Kafka would start it at the latest offset and skip what arrived meanwhile: every
   * later join seeks each partition back here instead.
   */
  private readonly resumeAt = new Map<string, string>();

  constructor(private readonly options: EventHubOptions) {
    this.log = new EventLog({ maxBytes: options.windowBytes, maxAgeMs: options.windowMs });
    this.keyOf = new Map(options.events.map((definition) => [options.topicName(definition.topic), definition.key]));
  }

  async start(): Promise<void> {
    const { kafka, topicName, events, logger } = this.options;
    const groupId = consumerGroupName(topicName, 'gateway', `${process.pid}-${randomBytes(4).toString('hex')}`);
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const consumer = this.consumer;
    await consumer.connect();
    const byTopic = new Map(events.map((definition) => [topicName(definition.topic), definition]));
    await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: false });
    let joined = false;
    const ready = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        if (joined) this.resume(payload.memberAssignment);
        joined = true;
        resolve();
      }),
    );
    await consumer.run({
      // Nothing to commit: a replica that restarts refills its window by timestamp instead.
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.resumeAt.set(`${topic}:${partition}`, (BigInt(message.offset) + 1n).toString());
        const definition = byTopic.get(topic)!;
        // The event's arrival joins its trace, and so does its log line (subscribers resolve it later, in their own loops).
        receiveTraced(definition.topic, topic, message, () => {
          try {
            // Validated once here; what is kept is the bytes, and a copy, so the fetch response they came in is not pinned.
            const envelope = parseEnvelope(definition, message.value);
            this.options.onEvent?.(definition);
            this.add(topic, envelope, this.slab.copy(message.value!));
            logger.debug({ topic, eventId: envelope.id, offset: message.offset }, 'event received for subscribers');
          } catch (error) {
            logger.warn({ err: error, topic, offset: message.offset }, 'event not deliverable to subscribers; skipped');
          }
        });
      },
    });
    await ready;
    await this.rewind([...byTopic.keys()]);
    this.pruneTimer = setInterval(() => this.log.prune(), Math.max(1000, Math.min(this.options.windowMs, 60_000)));
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.consumer?.disconnect();
    this.listeners.clear();
  }

  /**
   * Calls `listener` after each new event of a topic, or only after those of one `key` (the event
   * definition's key: an order's or a product's id), so that a thousand subscribers to one product
   * each are not all woken for every event; returns the function that stops it.
   */
  listen(topic: string, listener: HubListener, key = ''): () => void {
    const byKey = this.listeners.get(topic) ?? new Map<string, Set<HubListener>>();
    const set = byKey.get(key) ?? new Set();
    set.add(listener);
    byKey.set(key, set);
    this.listeners.set(topic, byKey);
    return () => {
      set.delete(listener);
      if (set.size === 0) byKey.delete(key);
      if (byKey.size === 0) this.listeners.delete(topic);
    };
  }

  /** What a reader of `topic` at `position` reads next. */
  read(topic: string, position: number): LogRead<HubEvent> {
    return this.log.read(topic, position);
  }

  /**
   * The event's envelope. Events are kept as bytes; one parse serves every subscriber that reaches
   * the event while it is among the most recently added ones (a reader far behind parses its own).
   */
  envelope<T = unknown>(event: HubEvent): Envelope<T> {
    let envelope = this.parsed.get(event.sequence);
    if (!envelope) {
      envelope = JSON.parse(event.value.toString('utf8')) as Envelope<unknown>;
      this.parsed.set(event.sequence, envelope);
    }
    return envelope as Envelope<T>;
  }

  /** The position of a kept event; undefined when the window no longer (or never) held it. */
  positionOf(topic: string, eventId: string): number | undefined {
    return this.log.positionOf(topic, eventId);
  }

  /** The position of the newest event of a topic: a reader starting there gets only later events. */
  head(topic: string): number {
    return this.log.head(topic);
  }

  windowStats(): { events: number; bytes: number } {
    return this.log.stats();
  }

  listenerCount(): number {
    let count = 0;
    for (const byKey of this.listeners.values()) for (const set of byKey.values()) count += set.size;
    return count;
  }

  private add(topic: string, envelope: Envelope<unknown>, raw: Buffer): void {
    const event = this.log.append(topic, envelope.id, raw, raw.length + keptEventOverheadBytes);
    if (!event) return;
    // Subscribers at the live edge read it next: they get the envelope already parsed.
    this.parsed.set(event.sequence, envelope);
    const byKey = this.listeners.get(topic);
    if (!byKey) return;
    for (const listener of byKey.get('') ?? []) listener(event);
    const key = this.keyOf.get(topic)?.(envelope.data);
    if (key) for (const listener of byKey.get(key) ?? []) listener(event);
  }

  /** After a rejoin: each partition continues after the last event received (duplicates are dropped by id). */
  private resume(assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const offset = this.resumeAt.get(`${topic}:${partition}`);
        if (offset !== undefined) this.consumer!.seek({ topic, partition, offset });
      }
    }
    this.options.logger.warn({ assignment }, 'event consumer rejoined; resuming after the last events received');
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
          this.resumeAt.set(`${topic}:${partition}`, offset);
          this.consumer!.seek({ topic, partition, offset });
        }
      }
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * What keeping one event costs besides its bytes (its log entry, id, index entry and the view on
 * its bytes), measured at about 260 bytes on Node 20: counted in the window's byte bound so that
 * the bound is the memory the window really holds.
 */
const keptEventOverheadBytes = 256;

/** Enough for 1,000 subscribers spread over the last few Kafka batches; about 1 kB each. */
const parsedEnvelopeCacheEntries = 1024;
