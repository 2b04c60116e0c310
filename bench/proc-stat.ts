import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that CPU accounting needs; times are in clock ticks. */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** Process group id. */
  pgrp: number;
  utime: number;
  stime: number;
  /** CPU of children that exited and were waited for by this process. */
  cutime: number;
  cstime: number;
}

/**
 * Parses one /proc/<pid>/stat line. The command name is in parentheses and may itself contain
 * spaces and parentheses, so the fields are counted from the last ')'.
 */
export function parseProcStat(line: string): ProcStat {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  // After the name: field 3 (state) is rest[0], so field n is rest[n - 3].
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: field(4),
    pgrp: field(5),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
  };
}

/** The process's stat, or undefined when it has exited. */
function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ESRCH')
      return undefined;
    throw error;
  }
}

function listPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return ''; // exited between listing and reading: it simply matches nothing
  }
}

/** Every live process, keyed by pid. */
export function snapshotProcesses(): Map<number, ProcStat> {
  const processes = new Map<number, ProcStat>();
  for (const pid of listPids()) {
    const stat = readProcStat(pid);
    if (stat) processes.set(pid, stat);
  }
  return processes;
}

/** Pids of every live descendant of `root` (not including it). */
export function descendantsOf(root: number, processes: Map<number, ProcStat>): number[] {
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop()!;
    for (const stat of processes.values()) {
      if (stat.ppid === parent) {
        found.push(stat.pid);
        frontier.push(stat.pid);
      }
    }
  }
  return found;
}

/**
 * Socket inodes listening on a TCP port, from the text of /proc/net/tcp or /proc/net/tcp6
 * (state 0A is LISTEN; the local address ends in the port in hex).
 */
export function listeningInodes(procNetTcp: string, port: number): number[] {
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  return procNetTcp
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns.length > 9)
    .filter((columns) => columns[3] === '0A' && columns[1].endsWith(`:${portHex}`))
    .map((columns) => Number(columns[9]));
}

/** The pid that owns a socket listening on `port` (found through /proc/<pid>/fd), if any. */
export function pidListeningOn(port: number): number | undefined {
  const inodes = new Set(
    ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => {
      try {
        return listeningInodes(readFileSync(file, 'utf8'), port);
      } catch {
        return []; // no IPv6 on this kernel
      }
    }),
  );
  if (inodes.size === 0) return undefined;
  for (const pid of listPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited, or not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match && inodes.has(Number(match[1]))) return pid;
    }
  }
  return undefined;
}
