import { loadavg } from 'node:os';
import type { Client } from 'pg';
import type { BenchConfig, RateStep } from './config';
import { cpuDelta, sampleCpu, type CpuTargets } from './cpu-sampler';
import { counterDelta, readCounters, type DatabaseCounters } from './database';
import { sendStepOrders, type OpenLoopResult } from './load';
import { rssMegabytes } from './machine';
import { finalizedBetween } from './ledger';
import type { StatusWatcher } from './subscriber';
import { now, waitUntil } from './timing';

/** What one rate step measured, before it becomes a row. */
export interface StepMeasurement {
  load: OpenLoopResult;
  /** Orders that reached a final status (by the database) between the step's start and the end of its drain. */
  completed: number;
  intervalSeconds: number;
  cpu: Record<string, number>;
  sql: DatabaseCounters;
  gatewayRssMb?: number;
  /** The machine's 1-minute load average at the end of the step (it is shared with other engineers). */
  loadAverage: number;
}

/**
 * One rate step: CPU and pg_stat_database sampled around the open-loop sending window plus a bounded
 * wait for the step's own orders, so the work they caused is inside the interval.
 */
export async function runStep(
  config: BenchConfig,
  step: RateStep,
  context: {
    gatewayUrl: string;
    productIds: string[];
    watcher: StatusWatcher;
    targets: CpuTargets;
    admin: Client;
    bench: Client;
  },
): Promise<StepMeasurement> {
  const cpuBefore = sampleCpu(context.targets);
  const sqlBefore = await readCounters(context.admin, config.benchDatabase);
  const startedAt = now();
  const load = await sendStepOrders(config, step, context.gatewayUrl, context.productIds);
  await waitUntil(() => load.created.every((order) => context.watcher.finalAt.has(order.id)), config.stepDrainMs);
  const endedAt = now();
  const cpu = cpuDelta(cpuBefore, sampleCpu(context.targets));
  const sql = counterDelta(sqlBefore, await readCounters(context.admin, config.benchDatabase));
  return {
    load,
    completed: await finalizedBetween(context.bench, startedAt, endedAt),
    intervalSeconds: (endedAt - startedAt) / 1000,
    cpu,
    sql,
    gatewayRssMb: rssMegabytes(context.targets.services.gateway),
    loadAverage: loadavg()[0],
  };
}
