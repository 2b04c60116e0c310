import type { StepMeasurement } from './step';
import { toRow } from './step-row';

const measured = (created: { id: string; scheduledAt: number; latencyMs: number }[]): StepMeasurement => ({
  load: {
    created,
    sent: created.length + 1,
    failed: 1,
    failuresByMessage: { 'no answer within 30000 ms': 1 },
    startedAt: 0,
    endedAt: 1000,
  },
  completed: 4,
  intervalSeconds: 2,
  cpu: { gateway: 0.2, postgres: 0.1 },
  sql: { commits: 40, inserted: 60, updated: 20 },
  gatewayRssMb: 200,
  loadAverage: 2.5,
});

describe('toRow', () => {
  const created = [
    { id: '1', scheduledAt: 1000, latencyMs: 10 },
    { id: '2', scheduledAt: 1100, latencyMs: 30 },
    { id: '3', scheduledAt: 1200, latencyMs: 20 }, // final in the database, its event never arrived
    { id: '4', scheduledAt: 1300, latencyMs: 40 }, // still PENDING
  ];
  const finalAt = new Map([
    ['1', 1050],
    ['2', 1300],
  ]);
  const finalInDatabase = new Map([
    ['1', 'CONFIRMED'],
    ['2', 'REJECTED'],
    ['3', 'CONFIRMED'],
  ]);
  const row = toRow({ ratePerSecond: 2, durationSeconds: 2 }, measured(created), { finalAt }, finalInDatabase);

  it('times each finished order from its due time, counts a missed event apart and an unfinished order as infinitely slow', () => {
    expect(row.pendingToFinalMs).toEqual({ count: 3, p50: 200, p99: Infinity, max: Infinity });
    expect(row.missedEvents).toBe(1);
    expect(row.unfinished).toBe(1);
  });

  it('divides CPU and SQL by the orders completed in the interval, and gives throughput per second of it', () => {
    expect(row).toMatchObject({
      sent: 5,
      created: 4,
      failed: 1,
      completed: 4,
      endToEndPerSecond: 2,
      cpuPerOrder: { gateway: 0.05, postgres: 0.025 },
      commitsPerOrder: 10,
      insertsPerOrder: 15,
      updatesPerOrder: 5,
      createMs: { count: 4, p50: 20, p99: 40, max: 40 },
    });
  });
});
