import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromProjectRoot } from '@io/project-root';

/** Where a running `npm start` writes its process id, so `npm run stop` can find it. */
export const pidFile = fromProjectRoot('.data', 'system.pid');

export function writePid(): void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, String(process.pid));
}

export function readPid(file = pidFile): number | undefined {
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

export function removePid(): void {
  rmSync(pidFile, { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The process id of an `npm start` that is running now, if any. A pid file left by a crash names a
 * process that has exited, or one that has since been given its number (on Linux, a process whose
 * command line does not name scripts/start is not it).
 */
export function runningSystem(file = pidFile): number | undefined {
  const pid = readPid(file);
  if (!pid || !isAlive(pid)) return undefined;
  const commandLine = `/proc/${pid}/cmdline`;
  if (existsSync(commandLine) && !readFileSync(commandLine, 'utf8').includes('scripts/start')) return undefined;
  return pid;
}
