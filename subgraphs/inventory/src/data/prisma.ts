import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../__generated__/prisma/client';

export const schemaName = 'inventory';

export type InventoryPrisma = PrismaClient;

/** One pool per process: Prisma runs on it and the outbox relay borrows from it. */
export function createPool(databaseUrl: string, max = 10): Pool {
  return new Pool({ connectionString: databaseUrl, max, options: `-c search_path=${schemaName}` });
}

export function createPrisma(pool: Pool): InventoryPrisma {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: schemaName }) });
}
