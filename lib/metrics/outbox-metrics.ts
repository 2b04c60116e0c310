import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from './metrics';

/**
 * The outbox's backlog and the age of its oldest unpublished row, read from the table when
 * Prometheus scrapes (one query on the partial index of unpublished rows), so the relay's hot path
 * pays nothing. A growing age means events are not leaving: Kafka is away or the relay stopped.
 */
export function registerOutboxMetrics(metrics: ServiceMetrics, pool: Pool, dbSchema: string, logger: Logger): void {
  let read: Promise<{ rows: number; ageSeconds: number }> | undefined;
  // Both gauges are collected in one scrape: they share one query.
  const current = () =>
    (read ??= pool
      .query<{ rows: string; age: number | null }>(
        `SELECT count(*) AS rows, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS age
         FROM "${dbSchema}"."outbox_events" WHERE published_at IS NULL`,
      )
      .then(({ rows: [row] }) => ({ rows: Number(row.rows), ageSeconds: Math.max(row.age ?? 0, 0) }))
      // The database is away: the figures are unknown (NaN), and the rest of the scrape still answers.
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'outbox figures for /metrics failed');
        return { rows: Number.NaN, ageSeconds: Number.NaN };
      })
      .finally(() => setImmediate(() => (read = undefined))));
  new Gauge({
    name: 'outbox_unpublished_rows',
    help: 'Outbox rows committed but not yet published to Kafka',
    registers: [metrics.registry],
    async collect() {
      this.set((await current()).rows);
    },
  });
  new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest outbox row not yet published (0 when none is waiting)',
    registers: [metrics.registry],
    async collect() {
      this.set((await current()).ageSeconds);
    },
  });
}
