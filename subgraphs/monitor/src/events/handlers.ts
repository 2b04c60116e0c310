import { orderProcessed } from '../../../../lib/events/catalog';
import { on } from '../../../../lib/kafka/consumer';
import type { MonitorPrisma } from '../data/prisma';
import { alertOnRejectedOrder } from '../domain/alerts';

/** What monitor does with the events it consumes. */
export function monitorEventHandlers(prisma: MonitorPrisma) {
  return [on(orderProcessed, (event) => alertOnRejectedOrder(prisma, event))];
}
