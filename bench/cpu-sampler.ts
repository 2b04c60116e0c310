import { execFileSync } from 'node:child_process';
import { descendantsOf, snapshotProcesses, type ProcStat } from './proc-stat';

/** Processes measured, found once the system is up (pids of services do not change during a run). */
export interface CpuTargets {
  /** Service name → pid of the process listening on its port; its own children (a transpiler service) count with it. */
  services: Record<string, number>;
  kafka?: number;
  /** The `npm start` process: its other descendants (npm, shells, the launcher) count as "launcher". */
  launcherRoot: number;
}

/** CPU seconds used so far by each measured group of processes. */
export type CpuSample = Record<string, number>;

export const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100; // Linux's USER_HZ everywhere it runs in practice
  }
})();

const busy = (stat: ProcStat | undefined) => (stat ? stat.utime + stat.stime : 0);

/**
 * The whole PostgreSQL server: every live process named postgres, plus what each postmaster
 * has reaped from children that exited (backends that came and went during the run), so the
 * difference of two samples counts every backend, short-lived or not. The cluster is shared,
 * so other databases' backends are included too.
 */
export function postgresTicks(processes: Map<number, ProcStat>): number {
  let ticks = 0;
  for (const stat of processes.values()) {
    if (stat.comm !== 'postgres') continue;
    ticks += stat.utime + stat.stime;
    if (processes.get(stat.ppid)?.comm !== 'postgres') ticks += stat.cutime + stat.cstime;
  }
  return ticks;
}

export function sampleCpu(targets: CpuTargets, processes = snapshotProcesses()): CpuSample {
  const ticks: Record<string, number> = {};
  const counted = new Set<number>();
  const sum = (pids: number[]) =>
    pids.reduce((total, pid) => {
      counted.add(pid);
      return total + busy(processes.get(pid));
    }, 0);
  for (const [name, pid] of Object.entries(targets.services))
    ticks[name] = sum([pid, ...descendantsOf(pid, processes)]);
  // Counted once: a broker that npm start launched is also one of its descendants.
  if (targets.kafka !== undefined) ticks.kafka = sum([targets.kafka]);
  ticks.postgres = postgresTicks(processes);
  ticks.launcher = sum(
    [targets.launcherRoot, ...descendantsOf(targets.launcherRoot, processes)].filter((pid) => !counted.has(pid)),
  );
  return Object.fromEntries(Object.entries(ticks).map(([name, value]) => [name, value / clockTicksPerSecond]));
}

export function cpuDelta(before: CpuSample, after: CpuSample): CpuSample {
  return Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - (before[name] ?? 0)]));
}
