import { orderCancelled, orderCreated } from '../../../../lib/events/catalog';
import { on } from '../../../../lib/kafka/consumer';
import type { InventoryPrisma } from '../data/prisma';
import { processOrderCancelled, processOrderCreated } from '../domain/order-processing';

/** What inventory does with the events it consumes. */
export function inventoryEventHandlers(prisma: InventoryPrisma) {
  return [
    on(orderCreated, (event) => processOrderCreated(prisma, event)),
    on(orderCancelled, (event) => processOrderCancelled(prisma, event)),
  ];
}
