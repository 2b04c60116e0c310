import { orderStatusChanged, type OrderStatusChanged } from '@io/events/catalog';
import { createEnvelope } from '@io/events/envelope';
import { useSliceDatabase } from '../../../test/support/slice-database';
import * as monitorData from '../src/data/prisma';
import { trackPendingOrders } from '../src/domain/pending-orders';

const db = useSliceDatabase(monitorData);

const change = (orderId: number, from: OrderStatusChanged['from'], to: OrderStatusChanged['to'], changedAt: string) =>
  createEnvelope(orderStatusChanged, { orderId, from, to, reason: null, changedAt });

const pending = async () =>
  (
    await db.pool.query<{ order_id: number; since: string }>(
      `SELECT order_id, to_char(pending_since AT TIME ZONE 'UTC', 'HH24:MI:SS') AS since FROM monitor.pending_orders ORDER BY order_id`,
    )
  ).rows;

test('a batch of status changes adds waiting orders, removes decided ones and resolves their pending alerts, in one statement', async () => {
  await trackPendingOrders(db.prisma, [
    change(1, null, 'PENDING', '2026-11-28T10:00:01Z'),
    change(2, null, 'PENDING', '2026-11-28T10:00:02Z'),
    // Created and decided within one batch: the order's last event decides, it never waits.
    change(3, null, 'PENDING', '2026-11-28T10:00:03Z'),
    change(3, 'PENDING', 'CONFIRMED', '2026-11-28T10:00:04Z'),
  ]);
  expect(await pending()).toEqual([
    { order_id: 1, since: '10:00:01' },
    { order_id: 2, since: '10:00:02' },
  ]);

  await db.pool.query(
    `INSERT INTO monitor.alerts (alert_type, severity, source, message, condition_key)
     VALUES ('ORDER_PENDING_TOO_LONG', 'WARNING', 'orders', 'order 2 waits', 'order-pending:2'),
            ('ORDER_PENDING_TOO_LONG', 'WARNING', 'orders', 'order 1 waits', 'order-pending:1')`,
  );
  // A redelivered "now PENDING" keeps the first time seen; order 2 is decided.
  await trackPendingOrders(db.prisma, [
    change(1, null, 'PENDING', '2026-11-28T10:09:00Z'),
    change(2, 'PENDING', 'REJECTED', '2026-11-28T10:00:05Z'),
  ]);
  expect(await pending()).toEqual([{ order_id: 1, since: '10:00:01' }]);
  const alerts = await db.pool.query<{ condition_key: string; state: string; resolved: boolean }>(
    `SELECT condition_key, state, resolved_at IS NOT NULL AS resolved FROM monitor.alerts ORDER BY condition_key`,
  );
  expect(alerts.rows).toEqual([
    { condition_key: 'order-pending:1', state: 'OPEN', resolved: false },
    { condition_key: 'order-pending:2', state: 'RESOLVED', resolved: true },
  ]);

  // Batches of one kind only (empty arrays on the other side): most batches under load.
  await trackPendingOrders(db.prisma, [change(1, 'PENDING', 'CONFIRMED', '2026-11-28T10:00:06Z')]);
  expect(await pending()).toEqual([]);
  await trackPendingOrders(db.prisma, [change(4, null, 'PENDING', '2026-11-28T10:00:07Z')]);
  expect(await pending()).toEqual([{ order_id: 4, since: '10:00:07' }]);
});
