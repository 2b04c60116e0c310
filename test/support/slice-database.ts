import type { Pool } from 'pg';
import { createTestDatabase } from './test-database';

/** How a slice's data layer opens its pool and its Prisma client (each slice's `data/prisma.ts`). */
interface SliceDataLayer<P> {
  createPool: (databaseUrl: string) => Pool;
  createPrisma: (pool: Pool) => P;
}

/**
 * For one test file: a migrated throwaway database with one slice's pool and Prisma client on it,
 * opened before its tests and closed and dropped after them. Read the fields inside tests (they are
 * set in beforeAll).
 */
export function useSliceDatabase<P extends { $disconnect: () => Promise<void> }>(
  slice: SliceDataLayer<P>,
): { pool: Pool; prisma: P } {
  const opened = {} as { pool: Pool; prisma: P };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    opened.pool = slice.createPool(database.url);
    opened.prisma = slice.createPrisma(opened.pool);
  });
  afterAll(async () => {
    await opened.prisma?.$disconnect();
    await opened.pool?.end();
    await drop?.();
  });
  return opened;
}
