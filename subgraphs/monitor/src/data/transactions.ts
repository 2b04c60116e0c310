import type { Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

export type Tx = Prisma.TransactionClient;

export function inTransaction<T>(prisma: MonitorPrisma, work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work, { timeout: 15_000, maxWait: 10_000 });
}

/**
 * Runs `work` in a transaction unless the event was processed before. The event id is recorded in
 * that same transaction, so the effect and the record commit together: a redelivered event is a no-op.
 * Returns undefined for a duplicate.
 */
export function onceForEvent<T>(prisma: MonitorPrisma, eventId: string, topic: string, work: (tx: Tx) => Promise<T>): Promise<T | undefined> {
  return inTransaction(prisma, async (tx) => {
    const { count } = await tx.processedEvent.createMany({ data: [{ eventId, topic }], skipDuplicates: true });
    if (count === 0) return undefined;
    return work(tx);
  });
}
