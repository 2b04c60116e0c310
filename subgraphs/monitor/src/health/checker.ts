import type { Logger } from '@io/logger';
import { alertRepository } from '../data/alerts';
import { healthCheckRepository, type ProbeResult } from '../data/health-checks';
import type { MonitorPrisma } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import { serviceHealthRule } from '../domain/alert-rules';
import { applyDecisions } from '../domain/alerts';
import { historyRetentionMs } from '../domain/health';
import type { Probe } from './probes';

export interface HealthCheckerOptions {
  prisma: MonitorPrisma;
  probes: Record<string, Probe>;
  intervalMs: number;
  logger: Logger;
  /** Work that shares the checker's rhythm (sampling Kafka watermarks). */
  alsoEachTick?: () => Promise<void>;
  /** PROCESSING_ERROR alerts whose condition was not seen for this long are resolved. */
  processingErrorQuietMs: number;
  /** ORDER_REJECTED groups that counted no rejection for this long are resolved (a new one starts afresh). */
  orderRejectedQuietMs: number;
  /** Consecutive failed probes before SERVICE_DOWN is raised: one slow answer is not an outage. */
  failuresBeforeAlert?: number;
  /** Whether this replica probes this round: with several monitor replicas, only the leader does. */
  isLeader?: () => Promise<boolean>;
}

export interface HealthChecker {
  /** Runs one round of probes now (the interval goes on). */
  checkNow: () => Promise<void>;
  /** Stops the interval and waits for a round in flight; no timer is left behind. */
  stop: () => Promise<void>;
}

/**
 * How often a round also does the housekeeping: resolving alerts that went quiet and pruning old
 * history. A tenth of the shortest quiet window (an alert resolves at most 10 % late), at most once
 * a minute: with the 15-minute windows, most rounds are the probes' rows and nothing else.
 */
export function housekeepingEveryMs(quietWindowsMs: number[]): number {
  return Math.min(60_000, Math.min(...quietWindowsMs) / 10);
}

/**
 * Probes every service on an interval, records each probe, raises SERVICE_DOWN after
 * `failuresBeforeAlert` failed probes in a row and resolves it at the first healthy one.
 */
export function startHealthChecker(options: HealthCheckerOptions): HealthChecker {
  const { prisma, probes, intervalMs, logger } = options;
  const failuresBeforeAlert = options.failuresBeforeAlert ?? 2;
  // A probe must end before the next round is due.
  const timeoutMs = Math.max(Math.min(intervalMs - 50, 3000), 50);
  const failures = new Map<string, number>();
  const housekeepingEvery = housekeepingEveryMs([options.processingErrorQuietMs, options.orderRejectedQuietMs]);
  let lastHousekeeping = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function probeOne(service: string, probe: Probe): Promise<ProbeResult> {
    const started = performance.now();
    const outcome = await probe(timeoutMs);
    const elapsed = Math.round(performance.now() - started);
    return { service, ...outcome, responseTimeMs: outcome.status === 'DOWN' ? null : elapsed, checkedAt: new Date() };
  }

  /**
   * One transaction per round: every probe's row, the SERVICE_DOWN decisions (a resolve for each
   * healthy service, in one statement), and, when due, the housekeeping.
   */
  async function record(results: ProbeResult[]): Promise<void> {
    const decisions = results.flatMap((result) => {
      const healthy = result.status === 'HEALTHY';
      const failed = healthy ? 0 : (failures.get(result.service) ?? 0) + 1;
      failures.set(result.service, failed);
      return healthy || failed >= failuresBeforeAlert ? [serviceHealthRule(result.service, healthy, result.error)] : [];
    });
    const now = Date.now();
    const housekeeping = now - lastHousekeeping >= housekeepingEvery;
    await inTransaction(prisma, async (tx) => {
      await healthCheckRepository.record(tx, results);
      await applyDecisions(tx, decisions);
      if (!housekeeping) return;
      await alertRepository.resolveQuiet(tx, 'PROCESSING_ERROR', new Date(now - options.processingErrorQuietMs));
      await alertRepository.resolveQuiet(tx, 'ORDER_REJECTED', new Date(now - options.orderRejectedQuietMs));
      await healthCheckRepository.pruneBefore(tx, new Date(now - historyRetentionMs));
    });
    if (housekeeping) lastHousekeeping = now;
  }

  const logged = (what: string) => (error: unknown) => {
    logger.error({ err: error }, `health checker: ${what} failed`);
  };

  async function probeAndRecord(): Promise<void> {
    const results = await Promise.all(Object.entries(probes).map(([service, probe]) => probeOne(service, probe)));
    await record(results).catch(logged('recording'));
  }

  async function round(): Promise<void> {
    const leading = await (options.isLeader?.() ?? Promise.resolve(true)).catch((error: unknown) => {
      logged('leadership check')(error);
      return false;
    });
    // Every replica samples Kafka for its own throughput figures; only the leader probes and records.
    await Promise.all([options.alsoEachTick?.().catch(logged('sampling')), leading ? probeAndRecord() : undefined]);
  }

  const checkNow = (): Promise<void> => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };

  // Rounds start every intervalMs (a slow round delays the next one, never overlaps it).
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      const started = Date.now();
      void checkNow()
        .catch(logged('round'))
        .finally(() => schedule(Math.max(intervalMs - (Date.now() - started), 0)));
    }, delayMs);
  };
  schedule(intervalMs);

  return {
    checkNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
