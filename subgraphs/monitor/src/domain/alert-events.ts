import { deadLetter, orderProcessed, stockLevelChanged, type DeadLetter } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import type { MonitorPrisma } from '../data/prisma';
import { onceForEvents } from '../data/transactions';
import { deadLetterRule, orderRejectedRule, stockLevelRule, type AlertDecision } from './alert-rules';
import { applyDecision } from './alerts';

const decidesSomething = (decision: AlertDecision) => decision.raise !== null || decision.resolve.length > 0;

/**
 * Applies a rule to a batch of events: the decisions that change something are applied in event
 * order in one transaction that also records their event ids, so each applies once. Events that
 * decide nothing (a confirmed order) need no transaction at all.
 */
function applyRule<T>(prisma: MonitorPrisma, topic: string, rule: (data: T) => AlertDecision) {
  return async (events: Envelope<T>[]): Promise<void> => {
    const decided = events.map((event) => ({ id: event.id, decision: rule(event.data) })).filter(({ decision }) => decidesSomething(decision));
    await onceForEvents(prisma, decided, topic, async (tx, fresh) => {
      for (const { decision } of fresh) await applyDecision(tx, decision);
    });
  };
}

/** How each consumed event becomes alerts. */
export function alertEvents(prisma: MonitorPrisma, topicPrefix: string) {
  return {
    onOrdersProcessed: applyRule(prisma, orderProcessed.topic, orderRejectedRule),
    onStockLevelsChanged: applyRule(prisma, stockLevelChanged.topic, stockLevelRule),
    onDeadLetters: applyRule(prisma, deadLetter.topic, (data: DeadLetter) => deadLetterRule(data, topicPrefix)),
  };
}
