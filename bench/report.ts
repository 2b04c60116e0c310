import type { Distribution } from './stats';

/** One rate step's figures, as the table prints them. */
export interface StepRow {
  ratePerSecond: number;
  durationSeconds: number;
  sent: number;
  created: number;
  failed: number;
  /** Orders that reached a final status from the step's start to the end of its drain, per second of that interval. */
  endToEndPerSecond: number;
  createMs: Distribution;
  /** Infinity marks an order still not final at the end of the run. */
  pendingToFinalMs: Distribution;
  /** Orders of this step the database shows final whose final event the subscriber never got. */
  missedEvents: number;
  /** Orders of this step still PENDING at the end of the run. */
  unfinished: number;
  /** Orders final (by the database) from the step's start to the end of its drain: what CPU and SQL are divided by. */
  completed: number;
  /** CPU seconds per completed order, by process group. */
  cpuPerOrder: Record<string, number>;
  commitsPerOrder: number;
  insertsPerOrder: number;
  updatesPerOrder: number;
  gatewayRssMb?: number;
  /** 1-minute load average of the machine at the end of the step. */
  loadAverage: number;
}

const cpuColumns = ['gateway', 'orders', 'inventory', 'monitor', 'kafka', 'postgres', 'launcher'] as const;

const fixed = (value: number | undefined, digits = 0) => {
  if (value === undefined || Number.isNaN(value)) return '–';
  if (value === Infinity) return '∞';
  return value.toFixed(digits);
};

/** A latency figure; an Infinity percentile means "not all orders finished": shown as "> run". */
const msFigure = (value: number | undefined) => (value === Infinity ? 'unfinished' : fixed(value));

const distributionCell = (distribution: Distribution, withMax: boolean) =>
  [distribution.p50, distribution.p99, ...(withMax ? [distribution.max] : [])].map(msFigure).join(' / ');

export function totalCpu(cpuPerOrder: Record<string, number>): number {
  return Object.values(cpuPerOrder).reduce((sum, value) => sum + value, 0);
}

/** The per-rate table; `baselineTps` (pgbench) adds orders/s as a share of it. */
export function formatTable(rows: readonly StepRow[], baselineTps?: number): string {
  const header = [
    'rate sent /s',
    'sent / created / failed',
    'orders/s end to end',
    '÷ pgbench tps',
    'create p50 / p99 ms',
    'PENDING→final p50 / p99 / max ms',
    'missed events',
    'left PENDING',
    ...cpuColumns.map((name) => `CPU s/order ${name}`),
    'CPU s/order total',
    'commits/order',
    'inserts / updates per order',
    'gateway RSS MB',
    'load avg at end',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = [
      `${row.ratePerSecond} for ${row.durationSeconds} s`,
      `${row.sent} / ${row.created} / ${row.failed}`,
      fixed(row.endToEndPerSecond, 1),
      baselineTps ? fixed(row.endToEndPerSecond / baselineTps, 4) : '–',
      distributionCell(row.createMs, false),
      distributionCell(row.pendingToFinalMs, true),
      String(row.missedEvents),
      String(row.unfinished),
      ...cpuColumns.map((name) => fixed(row.cpuPerOrder[name], 4)),
      fixed(totalCpu(row.cpuPerOrder), 4),
      fixed(row.commitsPerOrder, 2),
      `${fixed(row.insertsPerOrder, 1)} / ${fixed(row.updatesPerOrder, 1)}`,
      fixed(row.gatewayRssMb),
      fixed(row.loadAverage, 1),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
