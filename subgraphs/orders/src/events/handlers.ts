import { orderProcessed } from '@io/events/catalog';
import { on } from '@io/kafka/consumer';
import type { OrdersPrisma } from '../data/prisma';
import { handleOrderProcessed } from '../domain/order-outcome';

/** What orders does with the events it consumes. */
export function ordersEventHandlers(prisma: OrdersPrisma) {
  return [on(orderProcessed, (events) => handleOrderProcessed(prisma, events))];
}
