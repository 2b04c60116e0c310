import {
  deadLetter,
  orderProcessed,
  stockLevelChanged,
  type DeadLetter,
  type OrderProcessed,
  type StockLevelChanged,
} from '@io/events/catalog';
import type { Envelope } from '@io/events/envelope';
import type { MonitorPrisma } from '../data/prisma';
import { onceForEvents } from '@io/db/slice';
import { deadLetterRule, orderRejectedRule, stockLevelRule, type AlertDecision } from './alert-rules';
import { applyDecisions } from './alerts';

const decidesSomething = (decision: AlertDecision) => decision.raise !== null || decision.resolve.length > 0;

/**
 * Applies a rule to a batch of events: the decisions that change something are applied in event
 * order (raises of one condition grouped, see applyDecisions) in one transaction that also records
 * their event ids, so each applies once. Events that decide nothing (a confirmed order) need no
 * transaction at all.
 */
function applyRule<T>(prisma: MonitorPrisma, topic: string, rule: (data: T) => AlertDecision) {
  return async (events: Envelope<T>[]): Promise<void> => {
    const decided = events
      .map((event) => ({ id: event.id, decision: rule(event.data) }))
      .filter(({ decision }) => decidesSomething(decision));
    await onceForEvents(prisma, decided, topic, async (tx, fresh) => {
      await applyDecisions(
        tx,
        fresh.map(({ decision }) => decision),
      );
    });
  };
}

/** A rejected order raises an ORDER_REJECTED alert. */
export const handleOrderProcessed = (prisma: MonitorPrisma, events: Envelope<OrderProcessed>[]) =>
  applyRule(prisma, orderProcessed.topic, orderRejectedRule)(events);

/** A crossing of the minimum level raises or resolves LOW_STOCK and OUT_OF_STOCK. */
export const handleStockLevelChanged = (prisma: MonitorPrisma, events: Envelope<StockLevelChanged>[]) =>
  applyRule(prisma, stockLevelChanged.topic, stockLevelRule)(events);

/** A dead letter raises one PROCESSING_ERROR per consumer group and topic. */
export const handleDeadLetter = (prisma: MonitorPrisma, events: Envelope<DeadLetter>[], topicPrefix: string) =>
  applyRule(prisma, deadLetter.topic, (data: DeadLetter) => deadLetterRule(data, topicPrefix))(events);
