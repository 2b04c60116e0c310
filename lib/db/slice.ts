import { Pool } from 'pg';

/**
 * What every slice's data layer shares: one pool per process (Prisma runs on it and the outbox
 * relay borrows from it), transactions with the same limits, and idempotent event handling.
 * Each slice keeps its own generated Prisma client; these helpers only rely on what all of them have.
 */
export function createSlicePool(databaseUrl: string, schema: string, max = 10): Pool {
  return new Pool({ connectionString: databaseUrl, max, options: `-c search_path=${schema}` });
}

interface TransactionalClient<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

interface ProcessedEventsWriter {
  processedEvent: {
    createMany(args: { data: { eventId: string; topic: string }[]; skipDuplicates: boolean }): PromiseLike<{ count: number }>;
  };
}

export function inTransaction<Tx, R>(prisma: TransactionalClient<Tx>, work: (tx: Tx) => Promise<R>): Promise<R> {
  return prisma.$transaction(work, { timeout: 15_000, maxWait: 10_000 });
}

/**
 * Runs `work` in a transaction unless the event was processed before. The event id is recorded in
 * that same transaction, so the effect and the record commit together: a redelivered event is a
 * no-op. Returns undefined for a duplicate.
 */
export function onceForEvent<Tx extends ProcessedEventsWriter, R>(
  prisma: TransactionalClient<Tx>, eventId: string, topic: string, work: (tx: Tx) => Promise<R>,
): Promise<R | undefined> {
  return inTransaction(prisma, async (tx) => {
    const { count } = await tx.processedEvent.createMany({ data: [{ eventId, topic }], skipDuplicates: true });
    if (count === 0) return undefined;
    return work(tx);
  });
}
