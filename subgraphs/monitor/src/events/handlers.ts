import { deadLetter, orderProcessed, orderStatusChanged, stockLevelChanged } from '@io/events/catalog';
import { on } from '@io/kafka/consumer';
import type { MonitorPrisma } from '../data/prisma';
import { handleDeadLetter, handleOrderProcessed, handleStockLevelChanged } from '../domain/alert-events';
import { storeDeadLetters } from '../domain/dead-letters';
import { trackPendingOrders } from '../domain/pending-orders';

/** What monitor does with the events it consumes. */
export function monitorEventHandlers(prisma: MonitorPrisma, topicPrefix: string) {
  return [
    on(orderProcessed, (events) => handleOrderProcessed(prisma, events)),
    on(stockLevelChanged, (events) => handleStockLevelChanged(prisma, events)),
    on(deadLetter, async (events) => {
      // Stored first: a dead letter is listed (and replayable) even if raising its alert fails.
      await storeDeadLetters(prisma, events);
      await handleDeadLetter(prisma, events, topicPrefix);
    }),
    on(orderStatusChanged, (events) => trackPendingOrders(prisma, events)),
  ];
}
