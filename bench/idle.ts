import { readFileSync } from 'node:fs';
import { cpuDelta, sampleCpu, type CpuTargets } from './cpu-sampler';

interface IdleProcess {
  name: string;
  /** Percent of one core over the quiet interval. */
  cpuPercent: number;
  rssMB?: number;
}

export interface IdleMeasurement {
  seconds: number;
  processes: IdleProcess[];
}

function rssMB(pid: number): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : undefined;
}

/**
 * The system with nothing to do: CPU of each process over `seconds` of quiet, from /proc, and its
 * resident memory at the end. Measured right after start-up, before any load.
 */
const settleSeconds = 10;

export async function measureIdle(targets: CpuTargets, seconds: number): Promise<IdleMeasurement> {
  // Start-up's own work (consumers joining their groups, the monitor's first round, JIT) settles first.
  await new Promise((wake) => setTimeout(wake, settleSeconds * 1000));
  const before = sampleCpu(targets);
  await new Promise((wake) => setTimeout(wake, seconds * 1000));
  const used = cpuDelta(before, sampleCpu(targets));
  const pids: Record<string, number | undefined> = { ...targets.services, kafka: targets.kafka };
  // postgres: the whole shared cluster; launcher: npm start's own processes (npm, tsx, the supervisor).
  const processes = Object.entries(used).map(([name, cpuSeconds]) => ({
    name,
    cpuPercent: (100 * cpuSeconds) / seconds,
    rssMB: pids[name] === undefined ? undefined : rssMB(pids[name]),
  }));
  return { seconds, processes };
}
