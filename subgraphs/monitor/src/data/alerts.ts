import type { Alert, AlertSeverity, AlertState, AlertType, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

export interface NewAlert {
  alertType: AlertType;
  severity: AlertSeverity;
  source: string;
  message: string;
  entityType: string | null;
  entityId: string | null;
  conditionKey: string;
}

export interface AlertFilter {
  state?: AlertState | null;
  severity?: AlertSeverity | null;
  alertType?: AlertType | null;
}

const unresolved: AlertState[] = ['OPEN', 'ACKNOWLEDGED'];

const where = (filter: AlertFilter): Prisma.AlertWhereInput => ({
  ...(filter.state ? { state: filter.state } : {}),
  ...(filter.severity ? { severity: filter.severity } : {}),
  ...(filter.alertType ? { alertType: filter.alertType } : {}),
});

const newestFirst: Prisma.AlertOrderByWithRelationInput[] = [{ raisedAt: 'desc' }, { id: 'desc' }];

/** The only module that reads or writes alerts. */
export const alertRepository = {
  list: (db: Db, filter: AlertFilter, limit: number, offset: number): Promise<Alert[]> =>
    db.alert.findMany({ where: where(filter), orderBy: newestFirst, take: limit, skip: offset }),

  count: (db: Db, filter: AlertFilter): Promise<number> => db.alert.count({ where: where(filter) }),

  listUnresolved: (db: Db, limit: number): Promise<Alert[]> =>
    db.alert.findMany({ where: { state: { in: unresolved } }, orderBy: newestFirst, take: limit }),

  countUnresolved: (db: Db): Promise<number> => db.alert.count({ where: { state: { in: unresolved } } }),

  findById: (db: Db, id: number): Promise<Alert | null> => db.alert.findUnique({ where: { id } }),

  /**
   * Raises the alert unless one for the same condition is still unresolved (a partial unique index
   * decides, so concurrent raisers cannot both win). Returns the new alert, or null for a duplicate,
   * whose last sighting then moves on.
   */
  raiseOnce: async (db: Db, alert: NewAlert): Promise<Alert | null> => {
    const [created] = await db.alert.createManyAndReturn({ data: [alert], skipDuplicates: true });
    if (created) return created;
    await db.alert.updateMany({
      where: { conditionKey: alert.conditionKey, state: { in: unresolved } },
      data: { lastSeenAt: new Date() },
    });
    return null;
  },

  /** Resolves the condition's unresolved alert, if any; returns how many were resolved (0 or 1). */
  resolve: async (db: Db, conditionKey: string): Promise<number> => {
    const { count } = await db.alert.updateMany({
      where: { conditionKey, state: { in: unresolved } },
      data: { state: 'RESOLVED', resolvedAt: new Date() },
    });
    return count;
  },

  /** `resolve` for many conditions in one statement; returns how many alerts were resolved. */
  resolveAll: async (db: Db, conditionKeys: readonly string[]): Promise<number> => {
    if (conditionKeys.length === 0) return 0;
    const { count } = await db.alert.updateMany({
      where: { conditionKey: { in: [...conditionKeys] }, state: { in: unresolved } },
      data: { state: 'RESOLVED', resolvedAt: new Date() },
    });
    return count;
  },

  /** Resolves unresolved alerts of a type whose condition was last seen before `before`. */
  resolveQuiet: async (db: Db, alertType: AlertType, before: Date): Promise<number> => {
    const { count } = await db.alert.updateMany({
      where: { alertType, state: { in: unresolved }, lastSeenAt: { lt: before } },
      data: { state: 'RESOLVED', resolvedAt: new Date() },
    });
    return count;
  },

  /** OPEN → ACKNOWLEDGED; returns false when the alert is not OPEN (or does not exist). */
  acknowledge: async (db: Db, id: number): Promise<boolean> => {
    const { count } = await db.alert.updateMany({
      where: { id, state: 'OPEN' },
      data: { state: 'ACKNOWLEDGED', acknowledgedAt: new Date() },
    });
    return count > 0;
  },
};
