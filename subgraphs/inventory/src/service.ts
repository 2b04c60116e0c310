import { readFileSync } from 'node:fs';
import type { Config } from '@io/config';
import type { Logger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import { startService, type RunningService } from '@io/service/runtime';
import { schemaFile } from '@io/registry';
import { createContext } from './context';
import { createPool, createPrisma, dbSchema } from './data/prisma';
import { productUseCases } from './domain/products';
import { inventoryEventHandlers } from './events/handlers';
import { resolvers } from './resolvers';

export const typeDefs = readFileSync(fromProjectRoot(schemaFile('inventory')), 'utf8');

export async function startInventoryService(
  config: Config,
  logger: Logger,
  port = config.INVENTORY_PORT,
): Promise<RunningService> {
  const pool = createPool(config.DATABASE_URL, config.DATABASE_STATEMENT_TIMEOUT_MS);
  const prisma = createPrisma(pool);
  const products = productUseCases(prisma);
  return startService({
    name: 'inventory',
    config,
    logger,
    dbSchema,
    pool,
    disconnectPrisma: () => prisma.$disconnect(),
    graphql: { typeDefs, resolvers, context: (identity) => createContext(products, identity) },
    handlers: inventoryEventHandlers(prisma),
    port,
  });
}
