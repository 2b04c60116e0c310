import { RecentCache } from '../src/subscriptions/recent-cache';

test('the cache keeps the most recently added values, forgetting the oldest first, and a hit does not reorder them', () => {
  const cache = new RecentCache<number, string>(2);
  cache.set(1, 'v1');
  cache.set(2, 'v2');
  expect(cache.get(1)).toBe('v1');
  cache.set(3, 'v3');

  expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual([undefined, 'v2', 'v3']);
  expect(cache.size).toBe(2);
});

test('adding a key already kept keeps the first value', () => {
  const cache = new RecentCache<string, number>(2);
  cache.set('a', 1);
  cache.set('a', 2);

  expect(cache.get('a')).toBe(1);
});
