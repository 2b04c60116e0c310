import { parseSteps } from './config';
import { parseTps } from './pgbench';
import { distribution, percentile } from './stats';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it('gives the value at rank ceil(p × n) of the sorted values', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile([7, 3, 5], 0.5)).toBe(5);
    expect(percentile([42], 0.99)).toBe(42);
  });

  it('is undefined without values', () => {
    expect(percentile([], 0.5)).toBeUndefined();
  });

  it('ranks unfinished observations (Infinity) above every finished one', () => {
    const values = [...Array.from({ length: 98 }, () => 10), Infinity, Infinity];
    expect(distribution(values)).toEqual({ count: 100, p50: 10, p99: Infinity, max: Infinity });
  });
});

describe('parseSteps', () => {
  it('reads rate:seconds pairs', () => {
    expect(parseSteps('50:20,200:20,500:60')).toEqual([
      { ratePerSecond: 50, durationSeconds: 20 },
      { ratePerSecond: 200, durationSeconds: 20 },
      { ratePerSecond: 500, durationSeconds: 60 },
    ]);
  });

  it('names the pair it cannot read', () => {
    expect(() => parseSteps('50:20,fast:10')).toThrow('"fast:10" is not <orders per second>:<seconds>');
  });
});

describe('parseTps', () => {
  it('takes the figure without initial connection time', () => {
    expect(
      parseTps(
        'latency average = 1.0 ms\ninitial connection time = 3.1 ms\ntps = 3987.654321 (without initial connection time)\n',
      ),
    ).toBeCloseTo(3987.654321);
  });

  it('is undefined when pgbench printed no tps', () => {
    expect(parseTps('connection to server failed')).toBeUndefined();
  });
});
