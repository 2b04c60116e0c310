import { orderProcessed, type OrderProcessed } from '@io/events/catalog';
import type { Envelope } from '@io/events/envelope';
import type { OrdersPrisma } from '../data/prisma';
import { orderRepository } from '../data/orders';
import type { SagaMetrics } from './saga-metrics';
import { onceForEvents } from '@io/db/slice';
import { statusChangeEntry } from './status-events';
import { allowedSources } from './status-machine';

/**
 * The orders step of the saga, for a batch of inventory's verdicts in one transaction: each moves
 * a PENDING order to CONFIRMED or REJECTED. An order cancelled meanwhile stays cancelled: its
 * order-cancelled event makes inventory give back what this verdict took.
 */
export async function handleOrderProcessed(
  prisma: OrdersPrisma,
  events: Envelope<OrderProcessed>[],
  saga?: SagaMetrics,
): Promise<void> {
  const finalized = await onceForEvents(prisma, events, orderProcessed.topic, async (tx, fresh) => {
    const moves = fresh.map(({ data: { orderId, outcome, rejection } }) => {
      const reason = rejection ? `${rejection.code}: ${rejection.message}` : null;
      return {
        id: orderId,
        from: allowedSources(outcome, 'inventory'),
        to: outcome,
        reason,
        failureReason: outcome === 'REJECTED' ? reason : null,
      };
    });
    const moved = await orderRepository.transitionAll(tx, moves, (applied) =>
      applied.map((move) => statusChangeEntry(move.order, move.previous, move.reason)),
    );
    return moved.map((move) => move.order);
  });
  // After the commit: an order counts as finalized once its outcome is stored.
  if (finalized) saga?.finalized(finalized);
}
