/** An event as kept by the log: `position` counts the events of its topic (1, 2, 3, …, never reused). */
export interface LoggedEvent<T> {
  /** Orders every event of every topic, in arrival order. */
  sequence: number;
  position: number;
  topic: string;
  id: string;
  value: T;
  /** The event's size on the wire, what the byte bound counts. */
  bytes: number;
  receivedAt: number;
}

export interface EventLogLimits {
  maxBytes: number;
  maxAgeMs: number;
}

/** What a reader at `position` reads next: the first kept event after it, and how many after it are no longer kept. */
export interface LogRead<E> {
  event?: E;
  skipped: number;
}

interface TopicLog<T> {
  events: LoggedEvent<T>[];
  head: number;
}

/**
 * The recent events of every topic, bounded in bytes (all topics together) and in age, oldest
 * evicted first. Readers hold a position, not a copy, so one kept event serves every reader.
 */
export class EventLog<T> {
  private readonly topics = new Map<string, TopicLog<T>>();
  private readonly byId = new Map<string, LoggedEvent<T>>();
  private sequence = 0;
  private totalBytes = 0;

  constructor(private readonly limits: EventLogLimits) {}

  /** Keeps the event and returns it; undefined for an id already kept (at-least-once delivery). */
  append(topic: string, id: string, value: T, bytes: number, now = Date.now()): LoggedEvent<T> | undefined {
    if (this.byId.has(id)) return undefined;
    const log = this.topic(topic);
    log.head += 1;
    const event: LoggedEvent<T> = {
      sequence: (this.sequence += 1),
      position: log.head,
      topic,
      id,
      value,
      bytes,
      receivedAt: now,
    };
    log.events.push(event);
    this.byId.set(id, event);
    this.totalBytes += bytes;
    // The newest event stays even when it alone exceeds the bound: readers at the live edge need it.
    while (this.totalBytes > this.limits.maxBytes && this.byId.size > 1) this.evictOldest();
    return event;
  }

  read(topic: string, position: number): LogRead<LoggedEvent<T>> {
    const log = this.topics.get(topic);
    if (!log || position >= log.head) return { skipped: 0 };
    const oldest = log.events[0];
    if (!oldest) return { skipped: log.head - position };
    const index = position + 1 - oldest.position;
    if (index >= 0) return { event: log.events[index], skipped: 0 };
    return { event: oldest, skipped: oldest.position - position - 1 };
  }

  /** The position of a kept event of `topic`; undefined when it is not (or no longer) kept. */
  positionOf(topic: string, id: string): number | undefined {
    const event = this.byId.get(id);
    return event?.topic === topic ? event.position : undefined;
  }

  /** The position of the newest event of `topic` ever appended: a reader starting there gets only later ones. */
  head(topic: string): number {
    return this.topics.get(topic)?.head ?? 0;
  }

  /** Evicts the events older than the age bound. */
  prune(now = Date.now()): void {
    const oldestKept = now - this.limits.maxAgeMs;
    for (const log of this.topics.values()) {
      while (log.events.length > 0 && log.events[0].receivedAt < oldestKept) this.remove(log);
    }
  }

  stats(): { events: number; bytes: number } {
    return { events: this.byId.size, bytes: this.totalBytes };
  }

  private topic(name: string): TopicLog<T> {
    let log = this.topics.get(name);
    if (!log) {
      log = { events: [], head: 0 };
      this.topics.set(name, log);
    }
    return log;
  }

  private evictOldest(): void {
    let oldest: TopicLog<T> | undefined;
    for (const log of this.topics.values()) {
      if (log.events.length > 0 && (!oldest || log.events[0].sequence < oldest.events[0].sequence)) oldest = log;
    }
    if (oldest) this.remove(oldest);
  }

  private remove(log: TopicLog<T>): void {
    const event = log.events.shift()!;
    this.byId.delete(event.id);
    this.totalBytes -= event.bytes;
  }
}
