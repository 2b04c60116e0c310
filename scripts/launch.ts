import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fromProjectRoot, projectRoot } from '@io/project-root';
import { httpGet } from '@io/service/http-get';
import { compiledPath, type ServiceEntry } from '@io/registry';

/**
 * glibc's allocator settings for the services (the Dockerfile sets the same):
 * - glibc gives each thread that allocates its own malloc arena and keeps what is freed there; two
 *   arenas cut a service's resident memory by 15-30 % here (bench/RESULTS.md) at no measurable cost.
 * - glibc raises its mmap threshold (128 KB) each time a block above it is freed, up to 32 MB; after
 *   that, Kafka's responses and other large buffers land in the heap, and the holes they leave stay
 *   resident. A fixed threshold keeps them in mappings returned on free (the idle monitor: about
 *   150 MB without it, 100-125 MB with it).
 */
export const mallocSettings = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * Runs a registered service's compiled entry (`npm run build` writes it) as a child process, in a
 * process group of its own: a terminal's Ctrl-C reaches the supervisor only, which stops the
 * services in order (gateway first) and the broker last.
 */
export function launchService(entry: ServiceEntry, env: NodeJS.ProcessEnv): ChildProcess {
  const script = fromProjectRoot(compiledPath(entry.entry));
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  // Each process names itself in its traces (one environment is shared by all of them).
  const childEnv = { ...mallocSettings, ...env, OTEL_SERVICE_NAME: entry.name };
  return spawn(process.execPath, [script], {
    cwd: projectRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

/** Resolves once `url` answers 2xx; rejects when the child exits first or after `timeoutMs`. */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it was healthy`);
    const answered = await httpGet(url, 1000).then(
      ({ ok }) => ok,
      () => false,
    );
    if (answered) return;
    await new Promise((wake) => setTimeout(wake, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}
