import { orderProcessed } from '../../../../lib/events/catalog';
import { onBatch } from '../../../../lib/kafka/consumer';
import type { OrdersPrisma } from '../data/prisma';
import { applyOrderOutcomes } from '../domain/order-outcome';

/** What orders does with the events it consumes. */
export function ordersEventHandlers(prisma: OrdersPrisma) {
  return [onBatch(orderProcessed, (events) => applyOrderOutcomes(prisma, events))];
}
