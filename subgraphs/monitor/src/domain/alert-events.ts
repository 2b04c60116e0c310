import { deadLetter, orderProcessed, stockLevelChanged, type DeadLetter, type OrderProcessed, type StockLevelChanged } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import type { MonitorPrisma } from '../data/prisma';
import { onceForEvent } from '../data/transactions';
import { deadLetterRule, orderRejectedRule, stockLevelRule } from './alert-rules';
import { applyDecision } from './alerts';

/** Each consumed event is applied once: its id is recorded in the transaction that raises or resolves. */
export function alertEvents(prisma: MonitorPrisma, topicPrefix: string) {
  return {
    onOrderProcessed: (event: Envelope<OrderProcessed>) =>
      onceForEvent(prisma, event.id, orderProcessed.topic, (tx) => applyDecision(tx, orderRejectedRule(event.data))),
    onStockLevelChanged: (event: Envelope<StockLevelChanged>) =>
      onceForEvent(prisma, event.id, stockLevelChanged.topic, (tx) => applyDecision(tx, stockLevelRule(event.data))),
    onDeadLetter: (event: Envelope<DeadLetter>) =>
      onceForEvent(prisma, event.id, deadLetter.topic, (tx) => applyDecision(tx, deadLetterRule(event.data, topicPrefix))),
  };
}
