import type { Pool, PoolClient } from 'pg';
import type { Message, Producer } from 'kafkajs';
import { failpoint } from '@io/fault/failpoints';
import { eventMessage } from '@io/kafka/message';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from '@io/metrics/metrics';
import { sendTraced } from '@io/telemetry/messaging';
import { OutboxHousekeeping } from '@io/outbox/housekeeping';

export interface OutboxRelayOptions {
  pool: Pool;
  /** The slice's PostgreSQL schema, which holds its outbox_events table. */
  dbSchema: string;
  producer: Producer;
  /**
   * A new idempotent producer, to replace one that the broker refuses for good: after a partition's
   * leader dies, its successor can answer OUT_OF_ORDER_SEQUENCE_NUMBER to the producer's retried
   * batch, and kafkajs then fails every later send of that producer (its sequence state for the
   * partition is never reset). Without this option the relay keeps its producer.
   */
  newProducer?: () => Promise<Producer>;
  topicName: (topic: string) => string;
  pollMs: number;
  /**
   * How often the relay vacuums its outbox while it publishes (0: never, left to autovacuum). Every
   * published row leaves a dead version behind, in the table and in the index of unpublished rows;
   * with autovacuum off or behind, the relay's own read walks all of them: 8-13 ms a read after
   * 25,000 orders on this machine, whose PostgreSQL runs with autovacuum off (bench/RESULTS.md).
   */
  vacuumEveryMs: number;
  /**
   * How long a published row is kept (0: for ever). A published row serves only as a look back
   * (what went out, when: Kafka keeps the events themselves); kept for ever, the outbox grows by
   * about 600 bytes a row, five rows an order, some 13 GB a day at 50 orders/s (bench/RESULTS.md).
   */
  retentionMs: number;
  logger: Logger;
  /** Counts what was published, per topic and batch. */
  metrics?: ServiceMetrics;
  batchSize?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  payload: unknown;
  traceparent: string | null;
}

/**
 * Publishes outbox rows to Kafka in commit order and marks them sent. A NOTIFY from the insert
 * trigger wakes it at once; the poll is only the safety net for a lost notification.
 * Across replicas a transaction-level advisory lock lets one relay drain at a time, which keeps
 * per-key order. Delivery is at least once (a crash between send and mark re-sends a batch);
 * consumers deduplicate by event id.
 */
export class OutboxRelay {
  private listener?: { client: PoolClient; detach: () => void };
  private timer?: NodeJS.Timeout;
  private readonly housekeeping: OutboxHousekeeping;
  private listenRetry?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;
  private failures = 0;
  private current: Producer;

  constructor(private readonly options: OutboxRelayOptions) {
    this.current = options.producer;
    this.housekeeping = new OutboxHousekeeping(options);
  }

  /** The producer it publishes with now (replaced after OUT_OF_ORDER_SEQUENCE_NUMBER); its owner disconnects it. */
  get producer(): Producer {
    return this.current;
  }

  async start(): Promise<void> {
    await this.listen();
    this.schedule(0);
    this.housekeeping.start();
  }

  /**
   * A connection of its own LISTENs for the insert trigger's NOTIFY. When it breaks (PostgreSQL
   * restarted, the connection was cut), notifications stop: it is replaced, with a backoff while the
   * database is away, and the outbox drained at once for rows committed meanwhile, so the rare
   * safety-net poll never becomes the relay's pace.
   */
  private async listen(): Promise<void> {
    const client = await this.options.pool.connect();
    let released = false;
    // Handlers come off before the connection goes back to the pool, which may hand it to someone else.
    const detach = () => {
      client.off('notification', onNotification);
      client.off('error', onError);
    };
    const discard = (error: Error) => {
      if (released) return;
      released = true;
      detach();
      client.release(error);
    };
    const onNotification = () => this.wake();
    const onError = (error: Error) => {
      const established = this.listener?.client === client;
      discard(error);
      if (!established) return; // still in listen(): its LISTEN fails and the caller retries
      this.listener = undefined;
      this.options.logger.warn({ err: error }, 'outbox listener lost; reconnecting');
      this.relisten(250);
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    try {
      await client.query(`LISTEN "${this.options.dbSchema}_outbox"`);
    } catch (error) {
      discard(error as Error);
      throw error;
    }
    this.listener = { client, detach };
  }

  private relisten(delayMs: number): void {
    if (this.stopped) return;
    this.listenRetry = setTimeout(() => {
      this.listen().then(
        () => this.wake(),
        (error: unknown) => {
          this.options.logger.warn({ err: error }, 'outbox listener: reconnect failed; retrying');
          this.relisten(Math.min(delayMs * 2, this.options.pollMs));
        },
      );
    }, delayMs);
  }

  /** Drains now (or right after the drain in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainUntilEmpty().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.listenRetry);
    await Promise.all([this.draining, this.housekeeping.stop()]);
    if (this.listener) {
      const { client, detach } = this.listener;
      this.listener = undefined;
      detach();
      await client.query(`UNLISTEN "${this.options.dbSchema}_outbox"`).catch(() => undefined);
      client.release();
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.wake();
      this.schedule(this.options.pollMs);
    }, delayMs);
  }

  private async drainUntilEmpty(): Promise<void> {
    try {
      while (!this.stopped && (await this.publishBatch()) === (this.options.batchSize ?? 500));
      this.failures = 0;
    } catch (error) {
      // Kafka or PostgreSQL is away: the rows stay unpublished and are retried, sooner than the
      // safety-net poll (250 ms, doubling up to it).
      this.failures += 1;
      this.options.logger.warn({ err: error, failures: this.failures }, 'outbox publish failed; will retry');
      if (this.options.newProducer && isOutOfOrderSequence(error)) await this.replaceProducer(this.options.newProducer);
      this.schedule(Math.min(250 * 2 ** (this.failures - 1), this.options.pollMs));
    }
  }

  /**
   * A fresh producer (new producer id, sequences from 0) for the broken one. The rows of the failed
   * batch are still unpublished and go out with the next drain; any of them the old producer did get
   * into the log arrive twice, which consumers deduplicate by event id. If the new producer cannot
   * connect yet (the cluster is still electing), the next failure tries again.
   */
  private async replaceProducer(newProducer: () => Promise<Producer>): Promise<void> {
    const broken = this.current;
    try {
      this.current = await newProducer();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'outbox producer: replacement failed; will try again');
      return;
    }
    this.options.logger.warn('outbox producer replaced after OUT_OF_ORDER_SEQUENCE_NUMBER');
    await broken
      .disconnect()
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'outbox producer: disconnecting the broken one failed'),
      );
  }

  /** Counted once the rows are marked sent, per topic (catalog names: the label is the same in every environment). */
  private countPublished(rows: OutboxRow[]): void {
    const produced = this.options.metrics?.kafkaProduced;
    if (!produced) return;
    const perTopic = new Map<string, number>();
    for (const row of rows) perTopic.set(row.topic, (perTopic.get(row.topic) ?? 0) + 1);
    for (const [topic, count] of perTopic) produced.inc({ topic }, count);
  }

  /** Publishes one batch in one transaction; returns how many rows it published. */
  private async publishBatch(): Promise<number> {
    const { pool, dbSchema, topicName } = this.options;
    const producer = this.current;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const {
        rows: [{ locked }],
      } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        `${dbSchema}.outbox`,
      ]);
      if (!locked) {
        await client.query('ROLLBACK');
        return 0;
      }
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, key, payload, traceparent FROM "${dbSchema}"."outbox_events"
         WHERE published_at IS NULL ORDER BY sequence LIMIT $1`,
        [this.options.batchSize ?? 500],
      );
      if (rows.length > 0) {
        const outgoing = rows.map((row) => ({
          event: row.topic,
          topic: topicName(row.topic),
          key: row.key,
          traceparent: row.traceparent,
          message: eventMessage(row.id, row.key, row.payload),
        }));
        await sendTraced(outgoing, () => producer.sendBatch({ acks: -1, topicMessages: groupByTopic(outgoing) }));
        await failpoint('outbox.sent', this.options.logger);
        await client.query(`UPDATE "${dbSchema}"."outbox_events" SET published_at = now() WHERE id = ANY($1::uuid[])`, [
          rows.map((row) => row.id),
        ]);
      }
      await client.query('COMMIT');
      if (rows.length > 0) {
        this.countPublished(rows);
        this.housekeeping.published();
      }
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** True when Kafka refused a produce with OUT_OF_ORDER_SEQUENCE_NUMBER, however kafkajs wrapped it. */
function isOutOfOrderSequence(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const shape = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (shape.type === 'OUT_OF_ORDER_SEQUENCE_NUMBER') return true;
  const inner = [shape.cause, shape.originalError, ...(Array.isArray(shape.errors) ? shape.errors : [])];
  return inner.some((cause) => isOutOfOrderSequence(cause, depth + 1));
}

/** One entry per topic, messages in outbox order: the producer keeps that order within each partition. */
function groupByTopic(outgoing: readonly { topic: string; message: Message }[]) {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of outgoing) {
    const messages = byTopic.get(topic) ?? [];
    messages.push(message);
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
