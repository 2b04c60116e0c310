import type { BaseContext } from '@apollo/server';
import type { Kafka, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { hopSecret } from '@io/auth/mode';
import type { Config } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { brokerReachability } from '@io/kafka/reachability';
import { startEventConsumer, type EventHandler } from '@io/kafka/consumer';
import { startProducer } from '@io/kafka/producer';
import { consumerGroupName, topicNamer } from '@io/kafka/topics';
import type { Logger } from '@io/logger';
import { ServiceMetrics } from '@io/metrics/metrics';
import { registerOutboxMetrics } from '@io/metrics/outbox-metrics';
import { OutboxRelay } from '@io/outbox/relay';
import { Lifecycle } from './lifecycle';
import { warnIfMetricsOpen } from './metrics-route';
import { startSubgraphServer, type SubgraphServerOptions } from './subgraph-server';

export interface ServiceDefinition<TContext extends BaseContext> {
  name: string;
  config: Config;
  logger: Logger;
  /** The PostgreSQL schema of the service's slice; its outbox_events table is relayed to Kafka. */
  dbSchema: string;
  pool: Pool;
  /** Closes the Prisma client (runs before the pool is ended). */
  disconnectPrisma: () => Promise<void>;
  graphql: Omit<
    SubgraphServerOptions<TContext>,
    'name' | 'logger' | 'checkHealth' | 'hopSecret' | 'readiness' | 'metrics' | 'metricsToken' | 'restarts'
  >;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers of different event types
  handlers: EventHandler<any>[];
  port: number;
  /** How long its consumer lets events gather before fetching them (EventConsumerOptions.gatherMs). */
  eventGatherMs?: number;
  /** The service's metrics, when its own code records some too (the saga's histogram); otherwise created here. */
  metrics?: ServiceMetrics;
}

export interface RunningService {
  url: string;
  kafka: Kafka;
  producer: Producer;
  lifecycle: Lifecycle;
  metrics: ServiceMetrics;
  close: () => Promise<void>;
}

/**
 * Starts a subgraph service: database pool, Kafka producer, outbox relay, event consumer, HTTP.
 * Each resource is owned by the lifecycle, which closes them in reverse order.
 */
export async function startService<TContext extends BaseContext>(
  definition: ServiceDefinition<TContext>,
): Promise<RunningService> {
  const { name, config, logger, pool } = definition;
  // Checked before anything starts: without it no request could be accepted.
  const secret = hopSecret(config);
  const lifecycle = new Lifecycle(logger);
  const metrics = definition.metrics ?? new ServiceMetrics();
  try {
    lifecycle.own('database pool', pool, (owned) => owned.end());
    lifecycle.own('prisma', definition, (owned) => owned.disconnectPrisma());
    const topicName = topicNamer(config.KAFKA_TOPIC_PREFIX);
    const kafka = createKafka(`${name}-service`, kafkaConnection(config), logger, {
      requestTimeoutMs: config.KAFKA_REQUEST_TIMEOUT_MS,
    });
    const producer = lifecycle.own('kafka producer', await startProducer(kafka), (owned) => owned.disconnect());
    // The relay has a producer of its own, which it replaces when the broker refuses it for good
    // (OUT_OF_ORDER_SEQUENCE_NUMBER after a leader change); the consumers keep theirs.
    const relay = new OutboxRelay({
      pool,
      dbSchema: definition.dbSchema,
      producer: await startProducer(kafka),
      newProducer: () => startProducer(kafka),
      topicName,
      pollMs: config.OUTBOX_POLL_MS,
      vacuumEveryMs: config.OUTBOX_VACUUM_MS,
      retentionMs: config.OUTBOX_RETENTION_MS,
      logger,
      metrics,
    });
    // Closed in reverse order: the relay stops, then its producer (the one it has then) disconnects.
    lifecycle.own('outbox producer', relay, (owned) => owned.producer.disconnect());
    registerOutboxMetrics(metrics, pool, definition.dbSchema, logger);
    await relay.start();
    lifecycle.own('outbox relay', relay, (owned) => owned.stop());
    if (definition.handlers.length > 0) {
      const consumer = await startEventConsumer({
        kafka,
        groupId: consumerGroupName(topicName, name, 'service'),
        handlers: definition.handlers,
        producer,
        topicName,
        logger,
        metrics,
        sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
        maxBatchSize: config.CONSUMER_BATCH_MAX_EVENTS,
        gatherMs: definition.eventGatherMs,
      });
      lifecycle.own('kafka consumer', consumer, (owned) => owned.disconnect());
    }
    const broker = lifecycle.own('kafka readiness probe', brokerReachability(kafka), (owned) => owned.close());
    const http = await startSubgraphServer(
      {
        ...definition.graphql,
        name,
        logger,
        production: config.NODE_ENV === 'production',
        stacktraces: config.NODE_ENV === 'development' && config.GRAPHQL_STACKTRACES,
        hopSecret: secret,
        restarts: config.SUPERVISOR_RESTARTS,
        checkHealth: async () => {
          await pool.query('SELECT 1');
        },
        readiness: { database: () => pool.query('SELECT 1'), kafka: broker.check },
        metrics,
        metricsToken: config.METRICS_TOKEN,
      },
      definition.port,
      config.HOST,
    );
    lifecycle.own('http server', http, (owned) => owned.close());
    warnIfMetricsOpen(config, logger);
    logger.info({ url: `${http.url}/graphql` }, `${name} subgraph ready`);
    return { url: http.url, kafka, producer, lifecycle, metrics, close: () => lifecycle.close() };
  } catch (error) {
    await lifecycle.close();
    throw error;
  }
}
