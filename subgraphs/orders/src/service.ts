import { readFileSync } from 'node:fs';
import type { Config } from '../../../lib/config';
import type { Logger } from '../../../lib/logger';
import { fromProjectRoot } from '../../../lib/project-root';
import { startService, type RunningService } from '../../../lib/service/runtime';
import { schemaFile } from '../../../services';
import { createContext } from './context';
import { createPool, createPrisma, schemaName } from './data/prisma';
import { orderUseCases } from './domain/orders';
import { orderStats } from './domain/stats';
import { ordersEventHandlers } from './events/handlers';
import { resolvers } from './resolvers';

export const typeDefs = readFileSync(fromProjectRoot(schemaFile('orders')), 'utf8');

export async function startOrdersService(config: Config, logger: Logger, port = config.ORDERS_PORT): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL);
  const prisma = createPrisma(pool);
  const orders = orderUseCases(prisma);
  const stats = orderStats(prisma);
  return startService({
    name: 'orders',
    config,
    logger,
    schema: schemaName,
    pool,
    disconnectPrisma: () => prisma.$disconnect(),
    graphql: { typeDefs, resolvers, context: () => createContext(orders, stats) },
    handlers: ordersEventHandlers(prisma),
    port,
  });
}
