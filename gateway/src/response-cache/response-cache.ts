import { LRUCache } from 'lru-cache';

/** A read-only operation's answer as the client is sent it. */
export interface CachedResult {
  data?: Record<string, unknown> | null;
}

interface Entry {
  result: CachedResult;
  subgraphs: readonly string[];
  /** The change counter when the request that produced this answer started. */
  startedAt: number;
}

export interface ResponseCacheOptions {
  /** Memory for answers, counted as their JSON size; 0 turns the cache off. */
  maxBytes: number;
  /** The longest an answer is served: a bound for changes no event announces (an edit through another gateway). */
  ttlMs: number;
  /** Subgraphs whose every change this gateway hears of; an answer that read any other is never kept. */
  cacheable: ReadonlySet<string>;
}

/**
 * Whole answers of read-only operations, served until the data behind them may have changed.
 * Every change this gateway learns of (a domain event from Kafka, a mutation it ran) advances one
 * counter and stamps the subgraphs it touched with it. An answer remembers the counter as it was
 * when its request started and the subgraphs it read; it is served only while none of them has
 * been stamped since. Stamping before a request starts means it reads the committed change;
 * stamping while it runs means it may not have, and its answer is not kept. So once the gateway
 * has sent a subscriber an event, no later read answers from data older than that event.
 */
export class ResponseCache {
  private clock = 0;
  private readonly changedAt = new Map<string, number>();
  private readonly entries?: LRUCache<string, Entry>;
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly options: ResponseCacheOptions) {
    if (options.maxBytes > 0) {
      this.entries = new LRUCache<string, Entry>({
        maxSize: options.maxBytes,
        // Keys and bookkeeping are small next to an answer; 256 bytes covers them.
        sizeCalculation: (entry, key) => JSON.stringify(entry.result).length + key.length + 256,
        ttl: options.ttlMs,
      });
    }
  }

  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /** The counter a request starting now compares against. */
  now(): number {
    return this.clock;
  }

  /** The data of these subgraphs may have changed: no answer that read them before now is served again. */
  changed(subgraphs: Iterable<string>): void {
    this.clock += 1;
    for (const subgraph of subgraphs) this.changedAt.set(subgraph, this.clock);
  }

  lookup(key: string): CachedResult | undefined {
    const entry = this.entries?.get(key);
    if (entry && this.unchangedSince(entry.subgraphs, entry.startedAt)) {
      this.hitCount += 1;
      return entry.result;
    }
    if (entry) this.entries!.delete(key);
    this.missCount += 1;
    return undefined;
  }

  /** Keeps an answer produced by a request that started at `startedAt`, if it read only cacheable subgraphs that have not changed since. */
  store(key: string, result: CachedResult, subgraphs: readonly string[], startedAt: number): void {
    if (!this.entries) return;
    if (!subgraphs.every((subgraph) => this.options.cacheable.has(subgraph))) return;
    if (!this.unchangedSince(subgraphs, startedAt)) return;
    this.entries.set(key, { result, subgraphs, startedAt });
  }

  stats(): { entries: number; bytes: number; hits: number; misses: number } {
    return {
      entries: this.entries?.size ?? 0,
      bytes: this.entries?.calculatedSize ?? 0,
      hits: this.hitCount,
      misses: this.missCount,
    };
  }

  /** Whether none of these subgraphs changed after the counter read `startedAt`. */
  unchangedSince(subgraphs: readonly string[], startedAt: number): boolean {
    return subgraphs.every((subgraph) => (this.changedAt.get(subgraph) ?? 0) <= startedAt);
  }
}
