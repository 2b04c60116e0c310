import { z } from 'zod';
import { alertRaised } from '../../../../lib/events/catalog';
import { conflict, notFound } from '../../../../lib/graphql/errors';
import { parseId, validate } from '../../../../lib/graphql/validate';
import { appendEvent } from '../../../../lib/outbox/append';
import { page, pageSize } from '../../../../lib/graphql/paging';
import type { Alert } from '../__generated__/prisma/client';
import { alertRepository, type AlertFilter, type AlertType } from '../data/alerts';
import type { MonitorPrisma } from '../data/prisma';
import { inTransaction, type Tx } from '../data/transactions';
import type { AlertDecision } from './alert-rules';

const filterSchema = z.object({
  state: z.enum(['OPEN', 'ACKNOWLEDGED', 'RESOLVED']).nullish(),
  severity: z.enum(['INFO', 'WARNING', 'CRITICAL']).nullish(),
  alertType: z.enum(['LOW_STOCK', 'OUT_OF_STOCK', 'SERVICE_DOWN', 'ORDER_REJECTED', 'PROCESSING_ERROR']).nullish(),
}).nullish().transform((filter) => filter ?? {});

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
      alertType: alert.alertType as AlertType,
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
      return alertRepository.list(prisma, validate(filterSchema, filter, 'filter'), paging.limit, paging.offset);
    },
    count: (filter: AlertFilter | null | undefined) => alertRepository.count(prisma, validate(filterSchema, filter, 'filter')),
    findById: (id: string) => alertRepository.findById(prisma, parseId(id)),
    listUnresolved: (limit?: number | null) => alertRepository.listUnresolved(prisma, pageSize(limit, 20, 500)),
    countUnresolved: () => alertRepository.countUnresolved(prisma),

    /** OPEN → ACKNOWLEDGED. Acknowledging twice changes nothing; a resolved alert is over. */
    acknowledge: (id: string) => inTransaction(prisma, async (tx) => {
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
