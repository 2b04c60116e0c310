import { z } from 'zod';
import { validate } from '@io/graphql/validate';
import { pageSize } from '@io/graphql/paging';
import { healthOrder } from '@io/registry';
import type { HealthCheck } from '../__generated__/prisma/client';
import { healthCheckRepository } from '../data/health-checks';
import type { MonitorPrisma } from '../data/prisma';
import { availability } from './availability';

/** Every service the monitor probes, in the order operators see them. */
export const watchedServices = [...healthOrder, 'kafka', 'postgres'] as const;

export type WatchedService = (typeof watchedServices)[number];

/** Probe history is kept this long. */
export const historyRetentionMs = 24 * 60 * 60 * 1000;

const isWatched = (service: string): service is WatchedService =>
  (watchedServices as readonly string[]).includes(service);
const windowMinutes = z
  .number()
  .int()
  .min(1)
  .max(historyRetentionMs / 60_000);

export function healthUseCases(prisma: MonitorPrisma) {
  const latest = (service: string) =>
    isWatched(service) ? healthCheckRepository.latest(prisma, service) : Promise.resolve(null);
  return {
    /** The latest probe of every service probed at least once. */
    list: async (): Promise<HealthCheck[]> =>
      (await Promise.all(watchedServices.map(latest))).filter((check): check is HealthCheck => check !== null),
    /** Null for a service the monitor does not watch or has not probed yet. */
    get: latest,
    history: (
      service: string,
      since: Date | null | undefined,
      limit: number | null | undefined,
    ): Promise<HealthCheck[]> =>
      isWatched(service)
        ? healthCheckRepository.history(prisma, service, since ?? null, pageSize(limit, 100, 1000))
        : Promise.resolve([]),
    availability: async (
      service: string,
      minutes: number | null | undefined,
      now = new Date(),
    ): Promise<number | null> => {
      const window = validate(windowMinutes, minutes ?? 60, 'windowMinutes');
      return availability(
        await healthCheckRepository.countByStatus(prisma, service, new Date(now.getTime() - window * 60_000)),
      );
    },
  };
}

export type HealthUseCases = ReturnType<typeof healthUseCases>;
