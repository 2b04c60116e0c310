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

/** The process id of an `npm start` that is running now, if any (a pid file left by a crash names a dead one). */
export function runningSystem(file = pidFile): number | undefined {
  const pid = readPid(file);
  return pid && isAlive(pid) ? pid : undefined;
}
