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

/** One condition's sightings in a batch: the alert to raise and how many times it was seen. */
export interface AlertGroup {
  alert: NewAlert;
  count: number;
}

/** A group's alert after a batch: newly raised, or an unresolved one that counted more sightings. */
export interface GroupedAlert {
  alert: Alert;
  repeated: boolean;
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
   * Raises each group's alert, or counts the sightings on the group's unresolved alert, in one
   * statement: an upsert on the partial unique index of unresolved condition keys, so concurrent
   * batches cannot raise a group twice (the second waits for the first and counts on its row). A
   * repeated alert takes the latest message and last-seen time. Rows are taken in key order, so two
   * batches touching the same groups lock them in the same order and cannot deadlock.
   */
  raiseGrouped: async (db: Db, groups: AlertGroup[]): Promise<GroupedAlert[]> => {
    if (groups.length === 0) return [];
    const column = <K extends keyof NewAlert>(key: K) => groups.map((group) => group.alert[key]);
    const rows = await db.$queryRaw<(Alert & { repeated: boolean })[]>`
      INSERT INTO alerts AS a (alert_type, severity, source, message, entity_type, entity_id, condition_key, count)
      SELECT g.alert_type, g.severity, g.source, g.message, g.entity_type, g.entity_id, g.condition_key, g.count
      FROM unnest(
        ${column('alertType')}::alert_type[], ${column('severity')}::alert_severity[], ${column('source')}::text[],
        ${column('message')}::text[], ${column('entityType')}::text[], ${column('entityId')}::text[],
        ${column('conditionKey')}::text[], ${groups.map((group) => group.count)}::int[]
      ) AS g(alert_type, severity, source, message, entity_type, entity_id, condition_key, count)
      ORDER BY g.condition_key
      ON CONFLICT (condition_key) WHERE state <> 'RESOLVED'
      DO UPDATE SET count = a.count + EXCLUDED.count, message = EXCLUDED.message, last_seen_at = now()
      RETURNING a.id, a.alert_type AS "alertType", a.severity, a.state, a.source, a.message,
        a.entity_type AS "entityType", a.entity_id AS "entityId", a.condition_key AS "conditionKey",
        a.raised_at AS "raisedAt", a.acknowledged_at AS "acknowledgedAt", a.resolved_at AS "resolvedAt",
        a.last_seen_at AS "lastSeenAt", a.count,
        -- xmax is 0 on a row this statement inserted, set on one it updated.
        (a.xmax::text <> '0') AS repeated`;
    return rows.map(({ repeated, ...alert }) => ({ alert, repeated }));
  },

  /** Resolves the conditions' unresolved alerts, if any; returns how many were resolved. */
  resolve: async (db: Db, conditionKeys: string[]): Promise<number> => {
    const { count } = await db.alert.updateMany({
      where: { conditionKey: { in: conditionKeys }, state: { in: unresolved } },
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
