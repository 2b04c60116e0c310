import { ThroughputWindow } from '../src/domain/throughput';

const at = (seconds: number, highs: Record<string, number>) => ({ at: seconds * 1000, highs });

test('messages of the last minute are counted from the newest sample taken at least a minute ago', () => {
  const window = new ThroughputWindow(60_000);
  window.add(at(0, { a: 10, b: 0 }));
  window.add(at(30, { a: 40, b: 5 }));
  window.add(at(65, { a: 100, b: 5 }));
  expect(window.appended(at(90, { a: 130, b: 7 }))).toEqual({ a: 90, b: 2 });
});

test('while the monitor has run for less than a minute, messages are counted from its first sample', () => {
  const window = new ThroughputWindow(60_000);
  window.add(at(0, { a: 10 }));
  window.add(at(5, { a: 12 }));
  expect(window.appended(at(10, { a: 25 }))).toEqual({ a: 15 });
});

test('without any sample yet, no message counts as appended', () => {
  expect(new ThroughputWindow(60_000).appended(at(10, { a: 25 }))).toEqual({ a: 0 });
});

test('samples older than the window are dropped except the baseline', () => {
  const window = new ThroughputWindow(60_000);
  for (let second = 0; second <= 300; second += 5) window.add(at(second, { a: second }));
  expect(window.appended(at(300, { a: 300 }))).toEqual({ a: 60 });
  expect((window as unknown as { samples: unknown[] }).samples).toHaveLength(13);
});

test('a topic whose watermarks went back (recreated) counts nothing rather than a negative number', () => {
  const window = new ThroughputWindow(60_000);
  window.add(at(0, { a: 500 }));
  expect(window.appended(at(30, { a: 3 }))).toEqual({ a: 0 });
});
