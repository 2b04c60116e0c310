import { formatTable, totalCpu, type StepRow } from './report';

const row: StepRow = {
  ratePerSecond: 50,
  durationSeconds: 20,
  sent: 1000,
  created: 998,
  failed: 2,
  endToEndPerSecond: 27.35,
  createMs: { count: 998, p50: 12.4, p99: 80.6, max: 120 },
  pendingToFinalMs: { count: 998, p50: 9216.2, p99: Infinity, max: Infinity },
  missedEvents: 6,
  unfinished: 3,
  completed: 550,
  cpuPerOrder: {
    gateway: 0.0132,
    orders: 0.0176,
    inventory: 0.0132,
    monitor: 0.006,
    kafka: 0.0104,
    postgres: 0.0188,
    launcher: 0.0001,
  },
  commitsPerOrder: 10.04,
  insertsPerOrder: 15.2,
  updatesPerOrder: 8.04,
  gatewayRssMb: 301.4,
  loadAverage: 3.52,
};

describe('formatTable', () => {
  it('prints one Markdown row per rate with every figure, ratios against pgbench, and unfinished latencies named', () => {
    const lines = formatTable([row], 4000).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0].split('|').length).toBe(lines[1].split('|').length);
    expect(lines[0].split('|').length).toBe(lines[2].split('|').length);
    expect(lines[2]).toBe(
      '| 50 for 20 s | 1000 / 998 / 2 | 27.4 | 0.0068 | 12 / 81 | 9216 / unfinished / unfinished | 6 | 3 | ' +
        '0.0132 | 0.0176 | 0.0132 | 0.0060 | 0.0104 | 0.0188 | 0.0001 | 0.0793 | 10.04 | 15.2 / 8.0 | 301 | 3.5 |',
    );
  });

  it('leaves the ratio and missing figures as dashes when there is no baseline or no completed order', () => {
    const idle: StepRow = {
      ...row,
      completed: 0,
      cpuPerOrder: { gateway: NaN },
      commitsPerOrder: NaN,
      gatewayRssMb: undefined,
    };
    const cells = formatTable([idle]).split('\n')[2].split(' | ');
    expect(cells[3]).toBe('–');
    expect(cells[8]).toBe('–');
    expect(cells[cells.length - 2]).toBe('–');
  });
});

describe('totalCpu', () => {
  it('sums every process group', () => {
    expect(totalCpu({ a: 0.25, b: 0.5, c: 0.125 })).toBe(0.875);
  });
});
