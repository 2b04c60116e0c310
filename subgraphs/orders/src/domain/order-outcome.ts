import { orderProcessed, type OrderProcessed } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import type { OrdersPrisma } from '../data/prisma';
import { orderRepository } from '../data/orders';
import { onceForEvent } from '../data/transactions';
import { announceTransition } from './orders';
import { allowedSources } from './status-machine';

/**
 * The orders step of the saga: inventory's verdict moves a PENDING order to CONFIRMED or REJECTED.
 * An order cancelled meanwhile stays cancelled: its order-cancelled event makes inventory give
 * back what this verdict took.
 */
export async function applyOrderOutcome(prisma: OrdersPrisma, event: Envelope<OrderProcessed>): Promise<void> {
  const { orderId, outcome, rejection } = event.data;
  await onceForEvent(prisma, event.id, orderProcessed.topic, async (tx) => {
    const reason = rejection ? `${rejection.code}: ${rejection.message}` : null;
    const { moved } = await orderRepository.transition(tx, orderId, allowedSources(outcome, 'inventory'), outcome, {
      reason,
      failureReason: outcome === 'REJECTED' ? reason : null,
    });
    if (moved) await announceTransition(tx, moved.order, moved.from, reason);
  });
}
