import type { Pool } from 'pg';
import type { Logger } from '@io/logger';

export interface OutboxHousekeepingOptions {
  pool: Pool;
  /** The slice's PostgreSQL schema, which holds its outbox_events table. */
  dbSchema: string;
  /** How often it vacuums the outbox (0: never, left to autovacuum); see OutboxRelayOptions. */
  vacuumEveryMs: number;
  /** How long a published row is kept (0: for ever); see OutboxRelayOptions. */
  retentionMs: number;
  logger: Logger;
}

/** How often it prunes when it does not vacuum (OUTBOX_VACUUM_MS=0). */
const pruneEveryMs = 60_000;
/**
 * Rows a pruning statement deletes at most, and statements a round makes at most: 200,000 rows a
 * period, some 6,600 a second at the default period, over twice what the flash sale of
 * bench/RESULTS.md publishes (560 orders/s, five rows each).
 */
const pruneChunk = 10_000;
const maxPruneChunks = 20;

/**
 * Keeps a slice's outbox small while its relay publishes: each period in which rows were published,
 * it deletes the published rows past the retention, then vacuums the table, clearing the dead
 * versions. The first vacuum and every 20th also analyzes it: the statistics that make the relay's
 * read an index scan of the few unpublished rows hold as the table changes, and ANALYZE costs ten
 * times what VACUUM does (186 against 18 ms at 100,000 rows here). Neither takes a lock that
 * writers or the relay wait for; a period without publishing costs nothing.
 */
export class OutboxHousekeeping {
  private timer?: NodeJS.Timeout;
  private due = false;
  private vacuums = 0;
  private round?: Promise<void>;
  private stopped = false;

  constructor(private readonly options: OutboxHousekeepingOptions) {}

  start(): void {
    const { vacuumEveryMs, retentionMs } = this.options;
    if (vacuumEveryMs === 0 && retentionMs === 0) return;
    this.timer = setInterval(() => this.roundIfDue(), vacuumEveryMs || pruneEveryMs);
    this.timer.unref();
  }

  /** Rows were published: the next period makes a round. */
  published(): void {
    this.due = true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.round;
  }

  private roundIfDue(): void {
    if (this.stopped || this.round || !this.due) return;
    this.due = false;
    this.round = this.prune()
      .then(() => this.vacuum())
      .catch((error: unknown) => {
        this.due = true; // again at the next period
        this.options.logger.warn({ err: error }, 'outbox housekeeping failed; will try again');
      })
      .finally(() => (this.round = undefined));
  }

  /**
   * Deletes the rows published before the retention, oldest first, at most `pruneChunk` rows a
   * statement (no long transaction, no long lock): of the oldest rows by sequence, those published
   * before the cutoff. The relay publishes in sequence order, so these are the oldest published
   * ones; it stops at the first chunk that was not all expired. An unpublished row is never
   * deleted.
   */
  private async prune(): Promise<void> {
    const { pool, dbSchema, retentionMs } = this.options;
    if (retentionMs === 0) return;
    for (let chunk = 0; chunk < maxPruneChunks && !this.stopped; chunk += 1) {
      const { rowCount } = await pool.query(
        // The oldest rows by the sequence index, then their ids by the primary key: a bounded read
        // whatever the table's size (a plain filter on published_at is a scan of the whole table).
        `DELETE FROM "${dbSchema}"."outbox_events" WHERE id = ANY(ARRAY(
           SELECT id FROM (SELECT id, published_at FROM "${dbSchema}"."outbox_events" ORDER BY sequence LIMIT $1) AS oldest
           WHERE published_at < now() - make_interval(secs => $2)))`,
        [pruneChunk, retentionMs / 1000],
      );
      if ((rowCount ?? 0) < pruneChunk) return;
    }
  }

  private async vacuum(): Promise<void> {
    const { pool, dbSchema, vacuumEveryMs } = this.options;
    if (vacuumEveryMs === 0 || this.stopped) return;
    const analyze = this.vacuums++ % 20 === 0;
    await pool.query(`VACUUM ${analyze ? '(ANALYZE) ' : ''}"${dbSchema}"."outbox_events"`);
  }
}
