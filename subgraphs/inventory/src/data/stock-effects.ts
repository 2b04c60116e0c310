import type { Prisma, StockEffectState } from '../__generated__/prisma/client';

/** Advisory-lock namespace for order effects (the second key is the order id). */
const orderEffectLock = 0x1e7;

/** The only module that reads or writes what inventory did for each order. */
export const stockEffectRepository = {
  /**
   * Serializes everything inventory does for one order until the transaction ends, then reads
   * what was done so far. order-created and order-cancelled travel on different topics and may be
   * handled at the same time; the lock makes one wait for the other even before any row exists.
   */
  lock: async (db: Prisma.TransactionClient, orderId: number): Promise<StockEffectState | null> => {
    await db.$executeRaw`SELECT pg_advisory_xact_lock(${orderEffectLock}::int, ${orderId}::int)`;
    const effect = await db.orderStockEffect.findUnique({ where: { orderId } });
    return effect?.state ?? null;
  },

  save: (db: Prisma.TransactionClient, orderId: number, state: StockEffectState) =>
    db.orderStockEffect.upsert({ where: { orderId }, create: { orderId, state }, update: { state } }),
};
