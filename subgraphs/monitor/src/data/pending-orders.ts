import type { PendingOrder, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

/** The only module that reads or writes the orders waiting for inventory's verdict. */
export const pendingOrderRepository = {
  /** A redelivered "now PENDING" keeps the first time seen. */
  addAll: (db: Db, orders: readonly PendingOrder[]) =>
    db.pendingOrder.createMany({ data: [...orders], skipDuplicates: true }),

  removeAll: (db: Db, orderIds: readonly number[]) =>
    db.pendingOrder.deleteMany({ where: { orderId: { in: [...orderIds] } } }),

  /** True when this transaction may run the watch's round (no other replica's round is in progress). */
  tryRoundLock: async (db: Prisma.TransactionClient): Promise<boolean> => {
    const [{ locked }] = await db.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('monitor.pending-order-watch')) AS locked`;
    return locked;
  },

  /**
   * Orders pending since before `before` that have no unresolved alert under `alertKeyPrefix` +
   * their id yet, oldest first: each round raises only new alerts, so a backlog cannot hide newer orders.
   */
  overdueWithoutAlert: (db: Db, before: Date, alertKeyPrefix: string, limit: number): Promise<PendingOrder[]> =>
    db.$queryRaw<PendingOrder[]>`
      SELECT p.order_id AS "orderId", p.pending_since AS "pendingSince" FROM pending_orders p
      WHERE p.pending_since < ${before} AND NOT EXISTS (
        SELECT 1 FROM alerts a WHERE a.condition_key = ${alertKeyPrefix} || p.order_id::text AND a.state <> 'RESOLVED')
      ORDER BY p.pending_since LIMIT ${limit}`,
};
