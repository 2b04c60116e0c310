import type { Pool } from 'pg';
import { createSliceClient, createSlicePool } from '@io/db/slice';
import { PrismaClient, type Prisma } from '../__generated__/prisma/client';

/** The monitor slice: PostgreSQL schema "monitor", Prisma schema prisma/monitor/schema.prisma. */
export const dbSchema = 'monitor';

export type MonitorPrisma = PrismaClient;

/** A transaction of this slice. */
export type Tx = Prisma.TransactionClient;

export const createPool = (databaseUrl: string, statementTimeoutMs?: number): Pool =>
  createSlicePool(databaseUrl, dbSchema, { statementTimeoutMs });

export const createPrisma = (pool: Pool): MonitorPrisma => createSliceClient(PrismaClient, pool, dbSchema);
