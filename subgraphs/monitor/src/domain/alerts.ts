import { alertRaised } from '@io/events/catalog';
import { conflict, notFound } from '@io/graphql/errors';
import { parseId } from '@io/graphql/validate';
import { appendEvent } from '@io/outbox/append';
import { page, pageSize } from '@io/graphql/paging';
import type { Alert } from '../__generated__/prisma/client';
import { alertRepository, type AlertFilter } from '../data/alerts';
import type { MonitorPrisma, Tx } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import type { AlertDecision } from './alert-rules';

/**
 * Applies a rule's decision inside the caller's transaction: resolves what is over, raises what is
 * new and announces a new alert on the outbox (a suppressed duplicate announces nothing).
 */
export async function applyDecision(tx: Tx, decision: AlertDecision): Promise<Alert | null> {
  for (const key of decision.resolve) await alertRepository.resolve(tx, key);
  if (!decision.raise) return null;
  const alert = await alertRepository.raiseOnce(tx, decision.raise);
  if (alert) {
    await appendEvent(tx, alertRaised, {
      alertId: alert.id,
      alertType: alert.alertType,
      severity: alert.severity,
      source: alert.source,
      message: alert.message,
      entityType: alert.entityType,
      entityId: alert.entityId,
      raisedAt: alert.raisedAt.toISOString(),
    });
  }
  return alert;
}

export function alertUseCases(prisma: MonitorPrisma) {
  return {
    list: (filter: AlertFilter | null | undefined, limit?: number | null, offset?: number | null) => {
      const paging = page(limit, offset, 50, 500);
      return alertRepository.list(prisma, filter ?? {}, paging.limit, paging.offset);
    },
    count: (filter: AlertFilter | null | undefined) => alertRepository.count(prisma, filter ?? {}),
    findById: (id: string) => alertRepository.findById(prisma, parseId(id)),
    listUnresolved: (limit?: number | null) => alertRepository.listUnresolved(prisma, pageSize(limit, 20, 500)),
    countUnresolved: () => alertRepository.countUnresolved(prisma),

    /** OPEN → ACKNOWLEDGED. Acknowledging twice changes nothing; a resolved alert is over. */
    acknowledge: (id: string) =>
      inTransaction(prisma, async (tx) => {
        const alertId = parseId(id);
        await alertRepository.acknowledge(tx, alertId);
        const alert = await alertRepository.findById(tx, alertId);
        if (!alert) throw notFound('Alert', id);
        if (alert.state === 'RESOLVED') throw conflict(`Alert ${id} is resolved`, { state: alert.state });
        return alert;
      }),
  };
}

export type AlertUseCases = ReturnType<typeof alertUseCases>;
