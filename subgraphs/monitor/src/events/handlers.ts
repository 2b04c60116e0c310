import { deadLetter, orderProcessed, stockLevelChanged } from '@io/events/catalog';
import { on } from '@io/kafka/consumer';
import type { MonitorPrisma } from '../data/prisma';
import { handleDeadLetter, handleOrderProcessed, handleStockLevelChanged } from '../domain/alert-events';

/** What monitor does with the events it consumes. */
export function monitorEventHandlers(prisma: MonitorPrisma, topicPrefix: string) {
  return [
    on(orderProcessed, (events) => handleOrderProcessed(prisma, events)),
    on(stockLevelChanged, (events) => handleStockLevelChanged(prisma, events)),
    on(deadLetter, (events) => handleDeadLetter(prisma, events, topicPrefix)),
  ];
}
