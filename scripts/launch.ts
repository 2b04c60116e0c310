import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fromProjectRoot, projectRoot } from '@io/project-root';
import { httpGet } from '@io/service/http-get';
import { compiledPath, type ServiceEntry } from '@io/registry';

/**
 * glibc's allocator settings for a service (the Dockerfile and docker-compose.yml set the same):
 * - glibc gives each thread that allocates its own malloc arena and keeps what is freed there; two
 *   arenas cut a service's resident memory by 15-30 % here (bench/RESULTS.md) at no measurable cost.
 * - Blocks from the mmap threshold up get mappings of their own, returned to the system on free;
 *   smaller ones come from the heap, where what is freed stays resident when anything above it is
 *   still in use. glibc's own threshold starts at 128 KB and rises, up to 32 MB, each time such a
 *   block is freed; a fixed one stops that.
 * - A subgraph's first Prisma queries (its query compiler is WebAssembly, compiled then) and the
 *   monitor's Kafka reads free tens of MB of blocks from 16 KB up: with 128 KB they stayed resident
 *   (an inventory 147-150 MB and a monitor 132-145 MB, idle after a few reads), with 16 KB they go back
 *   (97-99 MB), at no CPU cost measured per order. The gateway keeps 128 KB: in the same runs its
 *   CPU per order rose 5-10 % with 16 KB (its request and response buffers), for no memory gained.
 */
export function mallocSettings(kind: ServiceEntry['kind']): Record<string, string> {
  return { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: kind === 'gateway' ? '131072' : '16384' };
}

/**
 * Runs a registered service's compiled entry (`npm run build` writes it) as a child process, in a
 * process group of its own: a terminal's Ctrl-C reaches the supervisor only, which stops the
 * services in order (gateway first) and the broker last.
 */
export function launchService(entry: ServiceEntry, env: NodeJS.ProcessEnv): ChildProcess {
  const script = fromProjectRoot(compiledPath(entry.entry));
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first`);
  // Each process names itself in its traces (one environment is shared by all of them).
  const childEnv = { ...mallocSettings(entry.kind), ...env, OTEL_SERVICE_NAME: entry.name };
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
