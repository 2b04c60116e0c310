import { deadLetter, orderProcessed, stockLevelChanged } from '../../../../lib/events/catalog';
import { on } from '../../../../lib/kafka/consumer';
import type { MonitorPrisma } from '../data/prisma';
import { alertEvents } from '../domain/alert-events';

/** What monitor does with the events it consumes. */
export function monitorEventHandlers(prisma: MonitorPrisma, topicPrefix: string) {
  const alerts = alertEvents(prisma, topicPrefix);
  return [
    on(orderProcessed, async (event) => { await alerts.onOrderProcessed(event); }),
    on(stockLevelChanged, async (event) => { await alerts.onStockLevelChanged(event); }),
    on(deadLetter, async (event) => { await alerts.onDeadLetter(event); }),
  ];
}
