import type { PendingOrder, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

/** The only module that reads or writes the orders waiting for inventory's verdict. */
export const pendingOrderRepository = {
  /**
   * One batch of status changes, in one statement (atomic without an interactive transaction; it
   * runs for every batch of every order's status changes): `waiting` orders join the list (a
   * redelivered "now PENDING" keeps the first time seen), `decided` ones leave it, and the
   * unresolved alerts under `resolvedAlertKeys` (those orders' ORDER_PENDING_TOO_LONG) are resolved.
   * Raw SQL over arrays: one statement text whatever the batch, where Prisma's createMany and
   * deleteMany compiled a new query for every row count (bench/RESULTS.md, "Where the time goes").
   */
  recordBatch: (
    db: Db,
    waiting: readonly { orderId: number; pendingSince: string }[],
    decided: readonly number[],
    resolvedAlertKeys: readonly string[],
  ): Promise<number> => db.$executeRaw`
      WITH added AS (
        INSERT INTO pending_orders (order_id, pending_since)
        SELECT * FROM unnest(${waiting.map((order) => order.orderId)}::int[], ${waiting.map((order) => order.pendingSince)}::timestamptz[])
        ON CONFLICT (order_id) DO NOTHING
      ), removed AS (
        DELETE FROM pending_orders WHERE order_id = ANY(${[...decided]}::int[])
      )
      UPDATE alerts SET state = 'RESOLVED', resolved_at = now()
      WHERE condition_key = ANY(${[...resolvedAlertKeys]}::text[]) AND state <> 'RESOLVED'`,

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
