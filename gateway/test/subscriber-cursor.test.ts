import { EventLog, type LoggedEvent } from '../src/subscriptions/event-log';
import { SubscriberCursor, type SendBuffer } from '../src/subscriptions/subscriber-cursor';

type Event = LoggedEvent<number>;

function setup(
  options: {
    maxBytes?: number;
    start?: number;
    sendBuffer?: SendBuffer;
    accepts?: (value: number) => boolean;
    /** Like the hub's keyed listeners: the reader is woken only for the events this accepts. */
    wakesFor?: (value: number) => boolean;
  } = {},
) {
  const log = new EventLog<number>({ maxBytes: options.maxBytes ?? 1_000_000, maxAgeMs: 60_000 });
  const listeners = new Set<(position: number) => void>();
  let appended = 0;
  let wakes = 0;
  const publish = (...values: number[]) => {
    for (const value of values) {
      const event = log.append('topic', `id-${(appended += 1)}`, value, 10)!;
      if (options.wakesFor && !options.wakesFor(value)) continue;
      for (const wake of listeners) {
        wakes += 1;
        wake(event.position);
      }
    }
  };
  const resolved: number[] = [];
  let closed = 0;
  let dropped = 0;
  const cursor = new SubscriberCursor<Event, string>({
    feed: {
      read: (position) => log.read('topic', position),
      listen: (wake) => {
        listeners.add(wake);
        return () => listeners.delete(wake);
      },
    },
    start: options.start ?? 0,
    sendBuffer: options.sendBuffer ?? { isBackedUp: () => false, drained: async () => undefined },
    accepts: (event) => options.accepts?.(event.value) ?? true,
    resolve: async (event) => {
      resolved.push(event.value);
      return `result ${event.value}`;
    },
    annotate: (result, count) => `${result} (${count} dropped)`,
    onDrop: (count) => {
      dropped += count;
    },
    onClose: () => {
      closed += 1;
    },
  });
  return { cursor, publish, resolved, listeners, closed: () => closed, dropped: () => dropped, wakes: () => wakes };
}

const take = async (cursor: AsyncIterator<string>, count: number) => {
  const values: string[] = [];
  for (let index = 0; index < count; index += 1) values.push((await cursor.next()).value);
  return values;
};

test('a burst larger than any fixed queue is delivered whole, in order, to a reader that keeps up', async () => {
  const { cursor, publish } = setup();
  publish(...Array.from({ length: 1000 }, (_, index) => index + 1));

  const values = await take(cursor, 1000);

  expect(values).toEqual(Array.from({ length: 1000 }, (_, index) => `result ${index + 1}`));
});

test('a waiting reader gets the next event as soon as it is published', async () => {
  const { cursor, publish } = setup();
  const next = cursor.next();

  publish(7);

  expect(await next).toEqual({ value: 'result 7', done: false });
});

test('events are resolved only when the reader reaches them, and only those its arguments accept', async () => {
  const { cursor, publish, resolved } = setup({ accepts: (value) => value % 2 === 0 });
  publish(1, 2, 3, 4, 5, 6);

  expect(await take(cursor, 2)).toEqual(['result 2', 'result 4']);
  expect(resolved).toEqual([2, 4]);
});

test('while the send buffer is backed up nothing is read; a reader that fell behind the window is told how many it lost', async () => {
  let backedUp = true;
  let drained!: () => void;
  const sendBuffer: SendBuffer = {
    isBackedUp: () => backedUp,
    drained: () =>
      new Promise((resolve) => {
        drained = resolve;
      }),
  };
  const { cursor, publish, resolved, dropped } = setup({ maxBytes: 30, sendBuffer });
  const next = cursor.next();
  publish(1, 2, 3, 4, 5);
  await new Promise((settle) => setImmediate(settle));
  expect(resolved).toEqual([]);

  backedUp = false;
  drained();

  expect(await next).toEqual({ value: 'result 3 (2 dropped)', done: false });
  expect(await take(cursor, 2)).toEqual(['result 4', 'result 5']);
  expect(dropped()).toBe(2);
});

test('closing releases a waiting reader, stops listening and runs the cleanup exactly once', async () => {
  const { cursor, publish, listeners, closed } = setup();
  const waiting = cursor.next();

  await cursor.return!();
  await cursor.return!();
  publish(1);

  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(await cursor.next()).toEqual({ value: undefined, done: true });
  expect(listeners.size).toBe(0);
  expect(closed()).toBe(1);
});

test('a keyed reader is woken only for its key, and other keys evicted from the window are not counted as its drops', async () => {
  const mine = (value: number) => value % 100 === 7;
  // Room for 10 events: each burst of other keys pushes the reader's position out of the window.
  const { cursor, publish, dropped, wakes } = setup({ maxBytes: 100, accepts: mine, wakesFor: mine });
  const reading = take(cursor, 3);
  for (const round of [0, 1, 2]) {
    await new Promise((settle) => setImmediate(settle));
    publish(...Array.from({ length: 50 }, (_, index) => round * 100 + 20 + index), round * 100 + 7);
  }

  expect(await reading).toEqual(['result 7', 'result 107', 'result 207']);
  expect(dropped()).toBe(0);
  expect(wakes()).toBe(3);
});
