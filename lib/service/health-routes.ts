import type { Router } from 'express';

/** The orchestrator's probes, the same on every process. */
export const livePath = '/health/live';
export const readyPath = '/health/ready';

/** A dependency the process needs to serve; throws when it is unusable. */
export type ReadinessCheck = () => Promise<unknown>;

/** How long one dependency may take to answer a readiness probe; orchestrators time out at a few seconds. */
const checkTimeoutMs = 2000;

class CheckTimeout extends Error {}

async function run(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The orchestrator's probes. /health/live: the process runs and its event loop answers (restart it
 * when this fails). /health/ready: every dependency answered (send it no traffic while this fails):
 * 200 `ready`, or 503 `not ready` naming each failed check.
 */
export function mountHealthProbes(router: Router, service: string, checks: Record<string, ReadinessCheck>): void {
  router.get(livePath, (_request, response) => {
    response.json({ status: 'live', service });
  });
  router.get(readyPath, async (_request, response) => {
    const names = Object.keys(checks);
    const outcomes = await Promise.all(names.map((name) => run(checks[name])));
    const results = Object.fromEntries(names.map((name, index) => [name, outcomes[index]]));
    const ready = outcomes.every((outcome) => outcome === 'ok');
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service, checks: results });
  });
}
