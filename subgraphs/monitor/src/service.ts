import { readFileSync } from 'node:fs';
import type { Config } from '@io/config';
import { SessionLock } from '@io/db/session-lock';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import type { Logger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import { serviceHealthUrl } from '@io/service/health-url';
import { startService, type RunningService } from '@io/service/runtime';
import { healthOrder, schemaFile, serviceNamed, type ServiceName } from '@io/registry';
import { createContext } from './context';
import { createPool, createPrisma, dbSchema } from './data/prisma';
import { alertUseCases } from './domain/alerts';
import { deadLetterUseCases } from './domain/dead-letters';
import { startPendingOrderWatch } from './domain/pending-orders';
import { healthUseCases } from './domain/health';
import { kafkaStatsUseCases } from './domain/kafka-stats';
import { monitorEventHandlers } from './events/handlers';
import { startReplayProducer } from './events/replay-producer';
import { startHealthChecker } from './health/checker';
import { httpProbe, kafkaProbe, postgresProbe } from './health/probes';
import { clusterReader } from './kafka/cluster';
import { registerKafkaStatsMetrics } from './kafka/kafka-metrics';
import { resolvers } from './resolvers';

export const typeDefs = readFileSync(fromProjectRoot(schemaFile('monitor')), 'utf8');

const self: ServiceName = 'monitor';

export async function startMonitorService(
  config: Config,
  logger: Logger,
  port = config.MONITOR_PORT,
): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL, config.DATABASE_STATEMENT_TIMEOUT_MS);
  const prisma = createPrisma(pool);
  const admin = createKafka('monitor-admin', kafkaConnection(config), logger).admin();
  await admin.connect();
  const kafka = kafkaStatsUseCases(clusterReader(admin, config.KAFKA_TOPIC_PREFIX), config.KAFKA_TOPIC_PREFIX);
  let service: RunningService;
  // Replays go out as the replayer user, on a producer of their own (connected at the first replay).
  const replayer = startReplayProducer(config, logger);
  const useCases = {
    alerts: alertUseCases(prisma),
    deadLetters: deadLetterUseCases(prisma, replayer.publish, config.KAFKA_TOPIC_PREFIX),
    health: healthUseCases(prisma),
    kafka,
  };
  try {
    service = await startService({
      name: self,
      config,
      logger,
      dbSchema,
      pool,
      disconnectPrisma: () => prisma.$disconnect(),
      graphql: { typeDefs, resolvers, context: () => createContext(useCases) },
      handlers: monitorEventHandlers(prisma, config.KAFKA_TOPIC_PREFIX),
      eventGatherMs: config.MONITOR_EVENT_WAIT_MS,
      port,
    });
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  service.lifecycle.own('kafka admin', admin, (owned) => owned.disconnect());
  service.lifecycle.own('dead-letter replay producer', replayer, (owned) => owned.close());
  registerKafkaStatsMetrics(service.metrics, kafka, logger);
  const leadership = service.lifecycle.own(
    'health checker leadership',
    new SessionLock(pool, `${dbSchema}.health-checker`),
    (owned) => owned.release(),
  );
  // Itself at the address it is bound to: with port 0 (tests) only known after listening.
  const probeUrl = (name: ServiceName) =>
    name === self ? `${service.url}${serviceNamed(self).healthPath}` : serviceHealthUrl(config, name);
  const checker = startHealthChecker({
    prisma,
    isLeader: () => leadership.tryAcquire(),
    intervalMs: config.HEALTH_CHECK_INTERVAL_MS,
    processingErrorQuietMs: config.PROCESSING_ERROR_RESOLVE_AFTER_MS,
    orderRejectedQuietMs: config.ORDER_REJECTED_RESOLVE_AFTER_MS,
    logger: logger.child({ component: 'health-checker' }),
    alsoEachTick: kafka.sample,
    probes: {
      ...Object.fromEntries(healthOrder.map((name) => [name, httpProbe(probeUrl(name))])),
      kafka: kafkaProbe(admin),
      postgres: postgresProbe(pool),
    },
  });
  service.lifecycle.own('health checker', checker, (owned) => owned.stop());
  const pendingWatch = startPendingOrderWatch({
    prisma,
    limitMs: config.PENDING_ALERT_MS,
    logger: logger.child({ component: 'pending-order-watch' }),
  });
  service.lifecycle.own('pending-order watch', pendingWatch, (owned) => owned.stop());
  return service;
}
