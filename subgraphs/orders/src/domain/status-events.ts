import { orderStatusChanged } from '@io/events/catalog';
import { appendEvents, outboxEntry, type OutboxEntry } from '@io/outbox/append';
import type { Order, OrderStatus } from '../__generated__/prisma/client';
import type { Tx } from '../data/prisma';

/** The order-status-changed event of a change that just happened. */
export function statusChangeEntry(
  order: Pick<Order, 'id' | 'status' | 'updatedAt' | 'customerEmail'>,
  from: OrderStatus | null,
  reason: string | null,
  eventId?: string,
): OutboxEntry {
  return outboxEntry(
    orderStatusChanged,
    {
      orderId: order.id,
      from,
      to: order.status,
      reason,
      changedAt: order.updatedAt.toISOString(),
      customerEmail: order.customerEmail,
    },
    eventId,
  );
}

/** Announces a status change inside the caller's transaction. */
export async function announceTransition(
  tx: Tx,
  order: Order,
  from: OrderStatus | null,
  reason: string | null,
): Promise<void> {
  await appendEvents(tx, [statusChangeEntry(order, from, reason)]);
}
