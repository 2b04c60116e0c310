import type { Alert, AlertSeverity, AlertState, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

export interface NewAlert {
  alertType: string;
  severity: AlertSeverity;
  source: string;
  message: string;
  entityType: string | null;
  entityId: string | null;
  conditionKey: string;
}

/** The only module that reads or writes alerts. */
export const alertRepository = {
  list: (db: Db, state: AlertState | undefined, limit: number): Promise<Alert[]> =>
    db.alert.findMany({ where: state ? { state } : {}, orderBy: { id: 'desc' }, take: limit }),

  /** Raises the alert unless one for the same condition is still unresolved (a partial unique index decides). */
  raiseOnce: async (db: Db, alert: NewAlert): Promise<boolean> => {
    const { count } = await db.alert.createMany({ data: [alert], skipDuplicates: true });
    return count > 0;
  },
};
