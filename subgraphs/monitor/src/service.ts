import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../../lib/config';
import type { Logger } from '../../../lib/logger';
import { startService, type RunningService } from '../../../lib/service/runtime';
import { createContext } from './context';
import { createPool, createPrisma, schemaName } from './data/prisma';
import { alertUseCases } from './domain/alerts';
import { monitorEventHandlers } from './events/handlers';
import { resolvers } from './resolvers';

export const typeDefs = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');

export async function startMonitorService(config: Config, logger: Logger, port = config.MONITOR_PORT): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL);
  const prisma = createPrisma(pool);
  const alerts = alertUseCases(prisma);
  return startService({
    name: 'monitor',
    config,
    logger,
    schema: schemaName,
    pool,
    disconnectPrisma: () => prisma.$disconnect(),
    graphql: { typeDefs, resolvers, context: () => createContext(alerts) },
    handlers: monitorEventHandlers(prisma),
    port,
  });
}
