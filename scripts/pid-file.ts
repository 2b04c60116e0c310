import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromProjectRoot } from '@io/project-root';

/** Where a running `npm start` writes its process id, so `npm run stop` can find it. */
export const pidFile = fromProjectRoot('.data', 'system.pid');

export function writePid(): void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, String(process.pid));
}

export function readPid(): number | undefined {
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
}

export function removePid(): void {
  rmSync(pidFile, { force: true });
}
