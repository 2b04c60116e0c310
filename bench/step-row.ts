import type { RateStep } from './config';
import type { StepRow } from './report';
import type { StepMeasurement } from './step';
import { distribution } from './stats';
import type { StatusWatcher } from './subscriber';

/**
 * A step's row once the run is over: each order of the step is finished (latency from its due time
 * to its final event), missed (final in the database, never seen by the subscriber: no latency) or
 * unfinished (still PENDING: infinitely slow). CPU and SQL are per order completed in the step's interval.
 */
export function toRow(
  step: RateStep,
  measured: StepMeasurement,
  watcher: Pick<StatusWatcher, 'finalAt'>,
  finalInDatabase: ReadonlyMap<string, string>,
): StepRow {
  const { load } = measured;
  const perOrder = (value: number) => (measured.completed > 0 ? value / measured.completed : NaN);
  const pendingToFinal: number[] = [];
  let missedEvents = 0;
  let unfinished = 0;
  for (const order of load.created) {
    const finalAt = watcher.finalAt.get(order.id);
    if (finalAt !== undefined) pendingToFinal.push(finalAt - order.scheduledAt);
    else if (finalInDatabase.has(order.id)) missedEvents += 1;
    else {
      unfinished += 1;
      pendingToFinal.push(Infinity);
    }
  }
  return {
    ratePerSecond: step.ratePerSecond,
    durationSeconds: step.durationSeconds,
    sent: load.sent,
    created: load.created.length,
    failed: load.failed,
    endToEndPerSecond: measured.completed / measured.intervalSeconds,
    createMs: distribution(load.created.map((order) => order.latencyMs)),
    pendingToFinalMs: distribution(pendingToFinal),
    missedEvents,
    unfinished,
    completed: measured.completed,
    cpuPerOrder: Object.fromEntries(Object.entries(measured.cpu).map(([name, seconds]) => [name, perOrder(seconds)])),
    commitsPerOrder: perOrder(measured.sql.commits),
    insertsPerOrder: perOrder(measured.sql.inserted),
    updatesPerOrder: perOrder(measured.sql.updated),
    gatewayRssMb: measured.gatewayRssMb,
    loadAverage: measured.loadAverage,
  };
}
