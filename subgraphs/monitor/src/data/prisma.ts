import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool } from 'pg';
import { createSlicePool } from '@io/db/slice';
import { PrismaClient } from '../__generated__/prisma/client';

export const schemaName = 'monitor';

export type MonitorPrisma = PrismaClient;

export const createPool = (databaseUrl: string): Pool => createSlicePool(databaseUrl, schemaName);

export function createPrisma(pool: Pool): MonitorPrisma {
  return new PrismaClient({ adapter: new PrismaPg(pool, { schema: schemaName }) });
}
