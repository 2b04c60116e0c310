import type { Pool } from 'pg';
import { createSliceClient, createSlicePool } from '@io/db/slice';
import { PrismaClient, type Prisma } from '../__generated__/prisma/client';

/** The orders slice: PostgreSQL schema "orders", Prisma schema prisma/orders/schema.prisma. */
export const dbSchema = 'orders';

export type OrdersPrisma = PrismaClient;

/** A transaction of this slice. */
export type Tx = Prisma.TransactionClient;

export const createPool = (databaseUrl: string, statementTimeoutMs?: number): Pool =>
  createSlicePool(databaseUrl, dbSchema, { statementTimeoutMs });

export const createPrisma = (pool: Pool): OrdersPrisma => createSliceClient(PrismaClient, pool, dbSchema);
