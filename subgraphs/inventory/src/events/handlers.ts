import { orderCancelled, orderCreated } from '@io/events/catalog';
import { on } from '@io/kafka/consumer';
import type { InventoryPrisma } from '../data/prisma';
import { handleOrderCancelled, handleOrderCreated, rejectUnprocessedOrder } from '../domain/order-processing';

/** What inventory does with the events it consumes. */
export function inventoryEventHandlers(prisma: InventoryPrisma) {
  return [
    on(
      orderCreated,
      (events) => handleOrderCreated(prisma, events),
      (event, error) => rejectUnprocessedOrder(prisma, event, error),
    ),
    on(orderCancelled, (events) => handleOrderCancelled(prisma, events)),
  ];
}
