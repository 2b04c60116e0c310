import type { Logger } from '@io/logger';

/**
 * Failpoints: named places where a fault test can hold a process, so that a SIGKILL lands exactly
 * there rather than wherever chance puts it. `FAILPOINTS=consumer.applied=3000,outbox.sent=3000`
 * makes each named place pause 3 s the first time the process reaches it, after a warn line
 * `failpoint reached` naming it: the test waits for that line and kills the process inside the
 * window. Once per process, so a restarted process opens the window once more and the rest of the
 * run goes at full speed. `consumer.applied=kill@5` SIGKILLs the process there instead, the fifth
 * time it is reached (`kill` alone: the first), for a test that must know the crash landed in that
 * window and cannot afford to race the process to it. Unset (always, outside fault tests), a
 * failpoint is one lookup in an empty map.
 *
 * The places:
 * - `consumer.applied`: a consumer applied a batch (its transaction committed) and has not yet
 *   resolved or committed the batch's offsets;
 * - `outbox.sent`: a relay's batch is on Kafka and its transaction, which marks the rows sent, has
 *   not committed.
 */
export type FailpointName = 'consumer.applied' | 'outbox.sent';

/** What a named failpoint does: pause the first time it is reached, or kill the process at a given pass. */
type FailpointAction = { pauseMs: number } | { killAtPass: number; passes: number };

const actions = parse(process.env.FAILPOINTS ?? '');

function parse(spec: string): Map<string, FailpointAction> {
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry): [string, FailpointAction] => {
      const [name, value = ''] = entry.split('=');
      const kill = /^kill(?:@([1-9][0-9]*))?$/.exec(value);
      if (name && kill) return [name, { killAtPass: Number(kill[1] ?? 1), passes: 0 }];
      const pauseMs = Number(value);
      if (!name || !value || !Number.isFinite(pauseMs) || pauseMs < 0)
        throw new Error(`FAILPOINTS: cannot read "${entry}"`);
      return [name, { pauseMs }];
    });
  return new Map(entries);
}

export async function failpoint(name: FailpointName, logger: Logger): Promise<void> {
  if (actions.size === 0) return;
  const action = actions.get(name);
  if (action === undefined) return;
  if ('killAtPass' in action) {
    action.passes += 1;
    if (action.passes < action.killAtPass) return;
    // The logger writes asynchronously, so this line may die with the process; the exit signal says it.
    logger.warn({ failpoint: name, pass: action.passes }, 'failpoint reached; killing the process');
    process.kill(process.pid, 'SIGKILL');
    return;
  }
  actions.delete(name);
  logger.warn({ failpoint: name, pauseMs: action.pauseMs }, 'failpoint reached');
  await new Promise((wake) => setTimeout(wake, action.pauseMs));
}
