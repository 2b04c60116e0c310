import { alertRaised } from '@io/events/catalog';
import { conflict, notFound } from '@io/graphql/errors';
import { parseId } from '@io/graphql/validate';
import { appendEvent } from '@io/outbox/append';
import { page, pageSize } from '@io/graphql/paging';
import { alertRepository, type AlertFilter, type AlertGroup, type GroupedAlert } from '../data/alerts';
import type { MonitorPrisma, Tx } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import type { AlertDecision } from './alert-rules';

/** Announces a raised alert, or a group's new count, to alertRaised subscribers (through the outbox). */
async function announce(tx: Tx, { alert, repeated }: GroupedAlert): Promise<void> {
  await appendEvent(tx, alertRaised, {
    alertId: alert.id,
    alertType: alert.alertType,
    severity: alert.severity,
    source: alert.source,
    message: alert.message,
    entityType: alert.entityType,
    entityId: alert.entityId,
    raisedAt: alert.raisedAt.toISOString(),
    count: alert.count,
    repeated,
  });
}

/**
 * Applies rules' decisions, in their order, inside the caller's transaction: resolves what is over,
 * and raises what is new or counts it on the condition's unresolved alert. Raises are gathered by
 * condition key and written in one statement until a resolve needs them written first (so "LOW,
 * then OK" in one batch still ends resolved), and resolves likewise until a raise; a batch of
 * rejections is one statement, and so is a health round's resolves. Each alert raised or counted is
 * announced once per batch, with its count.
 */
export async function applyDecisions(tx: Tx, decisions: readonly AlertDecision[]): Promise<GroupedAlert[]> {
  const applied: GroupedAlert[] = [];
  let raises = new Map<string, AlertGroup>();
  let resolves = new Set<string>();
  const writeRaises = async () => {
    if (raises.size > 0) applied.push(...(await alertRepository.raiseGrouped(tx, [...raises.values()])));
    raises = new Map();
  };
  const writeResolves = async () => {
    if (resolves.size > 0) await alertRepository.resolve(tx, [...resolves]);
    resolves = new Set();
  };
  for (const { raise, resolve } of decisions) {
    if (resolve.length > 0) {
      await writeRaises();
      for (const key of resolve) resolves.add(key);
    }
    if (!raise) continue;
    await writeResolves();
    const group = raises.get(raise.conditionKey);
    // The latest sighting's message describes the group.
    raises.set(raise.conditionKey, { alert: raise, count: (group?.count ?? 0) + 1 });
  }
  await writeRaises();
  await writeResolves();
  for (const grouped of applied) await announce(tx, grouped);
  return applied;
}

/** `applyDecisions` for one decision: the alert it raised or counted on, if any. */
export async function applyDecision(tx: Tx, decision: AlertDecision): Promise<GroupedAlert | null> {
  const [applied] = await applyDecisions(tx, [decision]);
  return applied ?? null;
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
