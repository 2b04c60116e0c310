import type { Logger } from '@io/logger';

/**
 * Failpoints: named places where a fault test can hold a process, so that a SIGKILL lands exactly
 * there rather than wherever chance puts it. `FAILPOINTS=consumer.applied=3000,outbox.sent=3000`
 * makes each named place pause 3 s the first time the process reaches it, after a warn line
 * `failpoint reached` naming it: the test waits for that line and kills the process inside the
 * window. Once per process, so a restarted process opens the window once more and the rest of the
 * run goes at full speed. Unset (always, outside fault tests), a failpoint is one lookup in an
 * empty map.
 *
 * The places:
 * - `consumer.applied`: a consumer applied a batch (its transaction committed) and has not yet
 *   resolved or committed the batch's offsets;
 * - `outbox.sent`: a relay's batch is on Kafka and its transaction, which marks the rows sent, has
 *   not committed.
 */
export type FailpointName = 'consumer.applied' | 'outbox.sent';

const pauses = parse(process.env.FAILPOINTS ?? '');

function parse(spec: string): Map<string, number> {
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [name, ms] = entry.split('=');
      const pauseMs = Number(ms);
      if (!name || !Number.isFinite(pauseMs) || pauseMs < 0) throw new Error(`FAILPOINTS: cannot read "${entry}"`);
      return [name, pauseMs] as const;
    });
  return new Map(entries);
}

export async function failpoint(name: FailpointName, logger: Logger): Promise<void> {
  if (pauses.size === 0) return;
  const pauseMs = pauses.get(name);
  if (pauseMs === undefined) return;
  pauses.delete(name);
  logger.warn({ failpoint: name, pauseMs }, 'failpoint reached');
  await new Promise((wake) => setTimeout(wake, pauseMs));
}
