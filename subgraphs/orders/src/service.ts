import { readFileSync } from 'node:fs';
import type { Config } from '@io/config';
import type { Logger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import { ServiceMetrics } from '@io/metrics/metrics';
import { startService, type RunningService } from '@io/service/runtime';
import { schemaFile } from '@io/registry';
import { createContext } from './context';
import { createPool, createPrisma, dbSchema } from './data/prisma';
import { orderUseCases } from './domain/orders';
import { orderStats } from './domain/stats';
import { ordersEventHandlers } from './events/handlers';
import { sagaMetrics } from './domain/saga-metrics';
import { resolvers } from './resolvers';

export const typeDefs = readFileSync(fromProjectRoot(schemaFile('orders')), 'utf8');

export async function startOrdersService(
  config: Config,
  logger: Logger,
  port = config.ORDERS_PORT,
): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL, config.DATABASE_STATEMENT_TIMEOUT_MS);
  const prisma = createPrisma(pool);
  const orders = orderUseCases(prisma);
  const stats = orderStats(prisma);
  const metrics = new ServiceMetrics();
  return startService({
    name: 'orders',
    config,
    logger,
    dbSchema,
    pool,
    disconnectPrisma: () => prisma.$disconnect(),
    graphql: { typeDefs, resolvers, context: (identity) => createContext(orders, stats, identity) },
    handlers: ordersEventHandlers(prisma, sagaMetrics(metrics)),
    metrics,
    port,
  });
}
