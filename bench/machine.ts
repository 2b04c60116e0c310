import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** Where and on what the numbers were taken: they mean nothing without it. */
export interface MachineInfo {
  date: string;
  commit: string;
  processors: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  loadAverage: [number, number, number];
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function describeMachine(): MachineInfo {
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' (with uncommitted changes)' : ''}`,
    processors: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    loadAverage: loadavg() as [number, number, number],
  };
}

export function rssMegabytes(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined; // the process has exited: no figure rather than a wrong one
  }
}
