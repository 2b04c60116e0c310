import { Gauge } from 'prom-client';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from '@io/metrics/metrics';
import type { KafkaStats, KafkaStatsUseCases } from '../domain/kafka-stats';

/**
 * The broker's figures on the monitor's /metrics, read from `kafkaStats` (the same function the
 * GraphQL field and the dashboard read, run once per scrape): consumer lag by group and partition
 * (committed offsets against high watermarks, so it covers every group of the environment, idle or
 * crashed ones too), messages held per topic, dead letters held. The monitor computes them; the
 * other services do not ask the broker again.
 */
/** A scrape must not wait for kafkajs' retries while the broker is away (Prometheus gives up after 10 s). */
const collectTimeoutMs = 3000;

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the broker within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function registerKafkaStatsMetrics(metrics: ServiceMetrics, kafka: KafkaStatsUseCases, logger: Logger): void {
  const registers = [metrics.registry];
  let read: Promise<KafkaStats | undefined> | undefined;
  // Every gauge below is collected in one scrape: they share one read of the broker.
  const current = () =>
    (read ??= withTimeout(kafka.collect(), collectTimeoutMs)
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'kafka statistics for /metrics failed');
        return undefined;
      })
      .finally(() => setImmediate(() => (read = undefined))));
  new Gauge({
    name: 'kafka_stats_up',
    help: '1 when the monitor could read the broker for this scrape, 0 otherwise',
    registers,
    async collect() {
      this.set((await current()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kafka_consumer_group_lag',
    help: 'Messages a consumer group has not committed yet, by group and partition (from the monitor)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      this.reset();
      for (const group of (await current())?.consumerGroups ?? [])
        for (const { topic, partition, lag } of group.partitionLags)
          this.set({ group: group.groupId, topic, partition: String(partition) }, lag);
    },
  });
  new Gauge({
    name: 'kafka_topic_messages',
    help: 'Messages the broker holds per topic (high minus low watermark)',
    labelNames: ['topic'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { topic, messages } of (await current())?.topics ?? []) this.set({ topic }, messages);
    },
  });
  new Gauge({
    name: 'kafka_dead_letter_messages',
    help: 'Messages held on the dead-letter topic (kafkaStats.deadLetters)',
    registers,
    async collect() {
      const stats = await current();
      if (stats) this.set(stats.deadLetters);
      else this.reset();
    },
  });
}
