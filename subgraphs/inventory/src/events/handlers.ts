import { orderCancelled, orderCreated } from '../../../../lib/events/catalog';
import { onBatch, onEach } from '../../../../lib/kafka/consumer';
import type { InventoryPrisma } from '../data/prisma';
import { processOrderCancelled, processOrdersCreated } from '../domain/order-processing';

/** What inventory does with the events it consumes: new orders by the batch, cancellations (rare) one by one. */
export function inventoryEventHandlers(prisma: InventoryPrisma) {
  return [
    onBatch(orderCreated, (events) => processOrdersCreated(prisma, events)),
    onEach(orderCancelled, (event) => processOrderCancelled(prisma, event)),
  ];
}
