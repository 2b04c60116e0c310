import type { Prisma, StockEffectState } from '../__generated__/prisma/client';

/** Advisory-lock namespace for order effects (the second key is the order id). */
const orderEffectLock = 0x1e7;

/** The only module that reads or writes what inventory did for each order. */
export const stockEffectRepository = {
  /**
   * Serializes everything inventory does for these orders until the transaction ends.
   * order-created and order-cancelled travel on different topics and may be handled at the same
   * time; the locks make one wait for the other even before any row exists. They are taken in id
   * order, so two batches never deadlock. A read after this statement sees what the previous
   * holder committed; one in the same statement might not (its snapshot is older than the lock).
   */
  lock: async (db: Prisma.TransactionClient, orderIds: readonly number[]): Promise<void> => {
    if (orderIds.length === 0) return;
    await db.$executeRaw`
      SELECT pg_advisory_xact_lock(${orderEffectLock}::int, id)
      FROM (SELECT DISTINCT unnest(${[...orderIds]}::int[]) AS id ORDER BY id) AS ordered`;
  },

  /** `lock`, then what was done so far for these orders (orders with nothing done are absent). */
  lockAll: async (
    db: Prisma.TransactionClient,
    orderIds: readonly number[],
  ): Promise<Map<number, StockEffectState>> => {
    if (orderIds.length === 0) return new Map();
    await stockEffectRepository.lock(db, orderIds);
    const effects = await db.$queryRaw<{ orderId: number; state: StockEffectState }[]>`
      SELECT order_id AS "orderId", state FROM order_stock_effects WHERE order_id = ANY(${[...orderIds]}::int[])`;
    return new Map(effects.map((effect) => [effect.orderId, effect.state]));
  },

  /** Records a first effect for orders that had none (they are locked by `lock`). */
  saveAll: async (
    db: Prisma.TransactionClient,
    orderIds: readonly number[],
    state: StockEffectState,
  ): Promise<void> => {
    if (orderIds.length === 0) return;
    await db.$executeRaw`
      INSERT INTO order_stock_effects (order_id, state, updated_at)
      SELECT order_id, ${state}::stock_effect_state, now() FROM unnest(${[...orderIds]}::int[]) AS order_id`;
  },

  markReversed: (db: Prisma.TransactionClient, orderId: number) =>
    db.orderStockEffect.update({ where: { orderId }, data: { state: 'REVERSED' } }),
};
