import type { Pool } from 'pg';
import { createSliceClient, createSlicePool } from '@io/db/slice';
import { PrismaClient, type Prisma } from '../__generated__/prisma/client';

/** The inventory slice: PostgreSQL schema "inventory", Prisma schema prisma/inventory/schema.prisma. */
export const dbSchema = 'inventory';

export type InventoryPrisma = PrismaClient;

/** A transaction of this slice. */
export type Tx = Prisma.TransactionClient;

export const createPool = (databaseUrl: string, statementTimeoutMs?: number): Pool =>
  createSlicePool(databaseUrl, dbSchema, { statementTimeoutMs });

export const createPrisma = (pool: Pool): InventoryPrisma => createSliceClient(PrismaClient, pool, dbSchema);
