import { deadLetter, orderProcessed, stockLevelChanged } from '../../../../lib/events/catalog';
import { onBatch } from '../../../../lib/kafka/consumer';
import type { MonitorPrisma } from '../data/prisma';
import { alertEvents } from '../domain/alert-events';

/** What monitor does with the events it consumes. */
export function monitorEventHandlers(prisma: MonitorPrisma, topicPrefix: string) {
  const alerts = alertEvents(prisma, topicPrefix);
  return [
    onBatch(orderProcessed, alerts.onOrdersProcessed),
    onBatch(stockLevelChanged, alerts.onStockLevelsChanged),
    onBatch(deadLetter, alerts.onDeadLetters),
  ];
}
