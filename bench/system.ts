import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { snapshotProcesses } from './proc-stat';

/**
 * The system exactly as a user starts it: `npm start` in its own process group, with the
 * bench's environment. Stopped like Ctrl-C stops it in a terminal: a signal to the whole group.
 */
export interface RunningSystem {
  pid: number;
  logFile: string;
  stop: () => Promise<void>;
}

const root = resolve(__dirname, '..');

export async function startSystem(
  env: NodeJS.ProcessEnv,
  healthUrl: string,
  logFile: string,
  timeoutMs = 240_000,
): Promise<RunningSystem> {
  const log = createWriteStream(logFile);
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const system: RunningSystem = { pid: child.pid!, logFile, stop: () => stopGroup(child) };
  try {
    await waitForHealth(healthUrl, child, timeoutMs);
  } catch (error) {
    await system.stop();
    throw new Error(`${(error as Error).message}; see ${logFile}`, { cause: error });
  }
  return system;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`npm start exited with code ${child.exitCode} before ${url} was healthy`);
    const healthy = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((wake) => setTimeout(wake, 500));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}

const groupAlive = (pgrp: number) => [...snapshotProcesses().values()].some((stat) => stat.pgrp === pgrp);

function signalGroup(pgrp: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgrp, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * SIGTERM to the process group, as Ctrl-C reaches every process of a terminal's foreground job
 * (the start script stops its services in order), then waits until none is left; SIGKILL after 30 s.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgrp = child.pid!;
  if (!groupAlive(pgrp)) return;
  signalGroup(pgrp, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (groupAlive(pgrp)) {
    if (Date.now() > deadline) {
      signalGroup(pgrp, 'SIGKILL');
      break;
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
}
