import { RecentCache } from '../src/subscriptions/recent-cache';

test('a value is computed once while it is among the most recently used, and the least recently used goes first', () => {
  const cache = new RecentCache<number, string>(2);
  const computed: number[] = [];
  const get = (key: number) => cache.get(key, () => { computed.push(key); return `v${key}`; });

  expect([get(1), get(2), get(1), get(3), get(1), get(2)]).toEqual(['v1', 'v2', 'v1', 'v3', 'v1', 'v2']);
  expect(computed).toEqual([1, 2, 3, 2]);
  expect(cache.size).toBe(2);
});
