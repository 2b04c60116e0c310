import type { HealthCheck, HealthStatus, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

export interface ProbeResult {
  service: string;
  status: HealthStatus;
  responseTimeMs: number | null;
  error: string | null;
  restarts?: number | null;
  checkedAt: Date;
}

export type StatusCounts = Partial<Record<HealthStatus, number>>;

/** The only module that reads or writes health checks. */
export const healthCheckRepository = {
  /** One row per probe, in one statement. */
  record: async (db: Db, probes: ProbeResult[]): Promise<void> => {
    await db.healthCheck.createMany({
      data: probes.map((probe) => ({ ...probe, error: probe.error?.slice(0, 1000) ?? null })),
    });
  },

  latest: (db: Db, service: string): Promise<HealthCheck | null> =>
    db.healthCheck.findFirst({ where: { service }, orderBy: [{ checkedAt: 'desc' }, { id: 'desc' }] }),

  history: (db: Db, service: string, since: Date | null, limit: number): Promise<HealthCheck[]> =>
    db.healthCheck.findMany({
      where: { service, ...(since ? { checkedAt: { gte: since } } : {}) },
      orderBy: [{ checkedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    }),

  countByStatus: async (db: Db, service: string, since: Date): Promise<StatusCounts> => {
    const groups = await db.healthCheck.groupBy({
      by: ['status'],
      where: { service, checkedAt: { gte: since } },
      _count: { _all: true },
    });
    return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
  },

  pruneBefore: async (db: Db, before: Date): Promise<number> => {
    const { count } = await db.healthCheck.deleteMany({ where: { checkedAt: { lt: before } } });
    return count;
  },
};
