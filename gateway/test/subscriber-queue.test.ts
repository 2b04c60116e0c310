import { SubscriberQueue } from '../src/subscriptions/subscriber-queue';

test('results come out in the order events went in, even when later ones resolve first', async () => {
  const queue = new SubscriberQueue<string>(10, () => undefined, () => undefined);
  let resolveFirst!: (value: string) => void;
  queue.push(new Promise((resolve) => { resolveFirst = resolve; }));
  queue.push(Promise.resolve('second'));

  const first = queue.next();
  resolveFirst('first');

  expect(await first).toEqual({ value: 'first', done: false });
  expect(await queue.next()).toEqual({ value: 'second', done: false });
});

test('a subscriber that falls behind loses its oldest events, each one counted', async () => {
  let dropped = 0;
  const queue = new SubscriberQueue<number>(3, () => { dropped += 1; }, () => undefined);

  for (let index = 1; index <= 5; index += 1) queue.push(Promise.resolve(index));

  expect(dropped).toBe(2);
  expect([await queue.next(), await queue.next(), await queue.next()].map((result) => result.value)).toEqual([3, 4, 5]);
});

test('the next value delivered after a drop says how many were dropped before it', async () => {
  const queue = new SubscriberQueue<string>(2, () => undefined, () => undefined, (value, dropped) => `${value} (${dropped} dropped)`);

  for (const value of ['a', 'b', 'c', 'd']) queue.push(Promise.resolve(value));
  queue.push(Promise.resolve('e'));

  expect([await queue.next(), await queue.next()].map((result) => result.value)).toEqual(['d (3 dropped)', 'e']);
});

test('closing releases a waiting reader and runs the cleanup exactly once', async () => {
  let closed = 0;
  const queue = new SubscriberQueue<number>(3, () => undefined, () => { closed += 1; });
  const waiting = queue.next();

  await queue.return();
  await queue.return();
  queue.push(Promise.resolve(1));

  expect(await waiting).toEqual({ value: undefined, done: true });
  expect(await queue.next()).toEqual({ value: undefined, done: true });
  expect(closed).toBe(1);
});
