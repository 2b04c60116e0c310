import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compiledPath, services, type ServiceEntry } from '@io/registry';
import { mallocSettings } from '../../scripts/launch';
import { freePort } from '../../test/support/free-port';
import { waitFor } from '../../test/support/wait-for';

/** The registered service whose compiled entry this is (a subgraph unless it is the gateway's). */
const kindOf = (entry: string): ServiceEntry['kind'] =>
  services.find((service) => compiledPath(service.entry) === entry)?.kind ?? 'subgraph';

export interface Process {
  label: string;
  url: string;
  child: ChildProcess;
}

/**
 * Starts a service on a free port and waits for its /health; `cpuProfileDir` turns on --cpu-prof.
 * A compiled entry (`dist/….js`, which `npm run build` writes in that checkout) runs the way
 * `npm start` runs it (scripts/launch.ts); a TypeScript one runs through tsx.
 */
export async function startProcess(
  label: string,
  dir: string,
  cpuProfileDir: string | undefined,
  entry: string,
  env: Record<string, string>,
): Promise<Process> {
  const port = await freePort();
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cpuProfileDir, label)}`] : [];
  const compiled = entry.endsWith('.js');
  if (compiled && !existsSync(resolve(dir, entry)))
    throw new Error(`${resolve(dir, entry)} is missing: run \`npm run build\` in ${dir}`);
  const child = spawn(process.execPath, [...profile, ...(compiled ? [] : ['--import', 'tsx']), entry], {
    cwd: dir,
    env: {
      ...process.env,
      ...(compiled ? mallocSettings(kindOf(entry)) : {}),
      LOG_LEVEL: 'warn',
      INVENTORY_PORT: String(port),
      ORDERS_PORT: String(port),
      MONITOR_PORT: String(port),
      GATEWAY_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, 60_000, `the ${label} process`);
  return { label, url, child };
}

/** CPU seconds a process has used so far (user + system), from /proc: independent of how busy the machine is. */
export function cpuSeconds(child: ChildProcess): number {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of a process in MB, from /proc. */
export function rssMegabytes(child: ChildProcess): number {
  const line = readFileSync(`/proc/${child.pid}/status`, 'utf8')
    .split('\n')
    .find((candidate) => candidate.startsWith('VmRSS:'))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

/** Stops a started process and waits for it to exit. */
export async function stopProcess(started: Process): Promise<void> {
  const exited = new Promise((settle) => started.child.once('exit', settle));
  started.child.kill('SIGTERM');
  await exited;
}
