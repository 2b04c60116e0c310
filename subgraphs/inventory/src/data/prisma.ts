import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { createSlicePool } from '@io/db/slice';
import { PrismaClient } from '../__generated__/prisma/client';

export const schemaName = 'inventory';

export type InventoryPrisma = PrismaClient;

export const createPool = (databaseUrl: string): Pool => createSlicePool(databaseUrl, schemaName);

export function createPrisma(pool: Pool): InventoryPrisma {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: schemaName }) });
}
