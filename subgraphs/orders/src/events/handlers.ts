import { orderProcessed } from '@io/events/catalog';
import { on } from '@io/kafka/consumer';
import type { OrdersPrisma } from '../data/prisma';
import { handleOrderProcessed } from '../domain/order-outcome';
import type { SagaMetrics } from '../domain/saga-metrics';

/** What orders does with the events it consumes (`saga`: where finalized orders are timed). */
export function ordersEventHandlers(prisma: OrdersPrisma, saga?: SagaMetrics) {
  return [on(orderProcessed, (events) => handleOrderProcessed(prisma, events, saga))];
}
