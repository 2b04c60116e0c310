import { orderProcessed, type OrderProcessed } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import type { OrdersPrisma } from '../data/prisma';
import { orderRepository } from '../data/orders';
import { onceForEvent } from '../data/transactions';
import { announceTransition } from './orders';

/** The orders step of the saga: inventory's verdict moves a PENDING order to CONFIRMED or REJECTED. */
export async function applyOrderOutcome(prisma: OrdersPrisma, event: Envelope<OrderProcessed>): Promise<void> {
  const { orderId, outcome, rejection } = event.data;
  await onceForEvent(prisma, event.id, orderProcessed.topic, async (tx) => {
    const reason = rejection ? `${rejection.code}: ${rejection.message}` : null;
    const moved = await orderRepository.transition(tx, orderId, ['PENDING'], outcome, {
      reason,
      failureReason: outcome === 'REJECTED' ? reason : null,
      stockApplied: outcome === 'CONFIRMED',
    });
    if (moved) await announceTransition(tx, moved.order, moved.from, reason);
  });
}
