import { EventLog } from '../src/subscriptions/event-log';

const values = (log: EventLog<string>, topic: string, from: number) => {
  const read: string[] = [];
  let position = from;
  for (let next = log.read(topic, position); next.event; next = log.read(topic, position)) {
    read.push(next.event.value);
    position = next.event.position;
  }
  return read;
};

test('a reader gets every later event of its topic, in order, and nothing of other topics', () => {
  const log = new EventLog<string>({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
  log.append('stock', 'a', 'a', 10);
  log.append('alerts', 'x', 'x', 10);
  log.append('stock', 'b', 'b', 10);
  log.append('stock', 'c', 'c', 10);

  expect(values(log, 'stock', 0)).toEqual(['a', 'b', 'c']);
  expect(values(log, 'stock', log.positionOf('stock', 'a')!)).toEqual(['b', 'c']);
  expect(log.positionOf('alerts', 'a')).toBeUndefined();
  expect(log.read('stock', log.head('stock'))).toEqual({ skipped: 0 });
});

test('a duplicate event id is kept once', () => {
  const log = new EventLog<string>({ maxBytes: 1_000_000, maxAgeMs: 60_000 });

  expect(log.append('stock', 'a', 'a', 10)).toBeDefined();
  expect(log.append('stock', 'a', 'a again', 10)).toBeUndefined();
  expect(values(log, 'stock', 0)).toEqual(['a']);
});

test('the window keeps at most its bytes, across topics, evicting the oldest first', () => {
  const log = new EventLog<string>({ maxBytes: 300, maxAgeMs: 60_000 });
  for (let index = 1; index <= 5; index += 1) {
    log.append('stock', `s${index}`, `s${index}`, 50);
    log.append('alerts', `a${index}`, `a${index}`, 50);
  }

  expect(log.stats()).toEqual({ events: 6, bytes: 300 });
  expect(values(log, 'stock', 0)).toEqual(['s3', 's4', 's5']);
  expect(values(log, 'alerts', 0)).toEqual(['a3', 'a4', 'a5']);
  expect(log.positionOf('stock', 's2')).toBeUndefined();
});

test('a reader behind the window skips to the oldest kept event and learns how many it lost', () => {
  const log = new EventLog<string>({ maxBytes: 100, maxAgeMs: 60_000 });
  for (let index = 1; index <= 10; index += 1) log.append('stock', `s${index}`, `s${index}`, 25);

  const read = log.read('stock', 2);

  expect(read.skipped).toBe(4);
  expect(read.event?.value).toBe('s7');
});

test('events older than the age bound are evicted; a reader then learns it lost them', () => {
  const log = new EventLog<string>({ maxBytes: 1_000_000, maxAgeMs: 1000 });
  log.append('stock', 'old', 'old', 10, 0);
  log.append('stock', 'older', 'older', 10, 100);
  log.append('stock', 'new', 'new', 10, 5000);

  log.prune(5500);

  expect(values(log, 'stock', 0)).toEqual(['new']);
  expect(log.read('stock', 0).skipped).toBe(2);
  log.prune(10_000);
  expect(log.read('stock', 0)).toEqual({ skipped: 3 });
  expect(log.stats()).toEqual({ events: 0, bytes: 0 });
});

test('the newest event is kept even when it alone is larger than the bound', () => {
  const log = new EventLog<string>({ maxBytes: 100, maxAgeMs: 60_000 });
  log.append('stock', 'small', 'small', 10);
  log.append('stock', 'huge', 'huge', 500);

  expect(values(log, 'stock', 0)).toEqual(['huge']);
});
