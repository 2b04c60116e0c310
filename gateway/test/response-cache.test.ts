import { cacheableSubgraphs, changedByEvent, ResponseCache } from '../src/response-cache';

const answer = (stock: number) => ({ data: { product: { stockQuantity: stock } } });

const cache = (options: Partial<{ maxBytes: number; ttlMs: number }> = {}) =>
  new ResponseCache({ maxBytes: 1024 * 1024, ttlMs: 60_000, cacheable: new Set(['inventory', 'orders']), ...options });

test('an answer is served until a subgraph it read changes', () => {
  const responses = cache();
  responses.store('q', answer(5), ['inventory'], responses.now());
  expect(responses.lookup('q')).toEqual(answer(5));
  responses.changed(['orders']);
  expect(responses.lookup('q')).toEqual(answer(5));
  responses.changed(['inventory']);
  expect(responses.lookup('q')).toBeUndefined();
  expect(responses.stats()).toMatchObject({ hits: 2, misses: 1, entries: 0 });
});

test('an answer whose request started before a change is not kept: it may have read the data before it', () => {
  const responses = cache();
  const startedAt = responses.now();
  responses.changed(['inventory']);
  responses.store('q', answer(5), ['inventory', 'orders'], startedAt);
  expect(responses.lookup('q')).toBeUndefined();
  // A request that starts after the change reads the committed data: its answer is kept.
  responses.store('q', answer(4), ['inventory', 'orders'], responses.now());
  expect(responses.lookup('q')).toEqual(answer(4));
});

test('answers that read a subgraph with unannounced changes are never kept', () => {
  const responses = cache();
  responses.store('q', answer(5), ['inventory', 'monitor'], responses.now());
  expect(responses.lookup('q')).toBeUndefined();
});

test('a size of 0 turns the cache off, and the memory bound evicts the least recently used', () => {
  const off = cache({ maxBytes: 0 });
  off.store('q', answer(5), ['inventory'], off.now());
  expect(off.enabled).toBe(false);
  expect(off.lookup('q')).toBeUndefined();

  const small = cache({ maxBytes: 700 });
  for (const key of ['a', 'b', 'c']) small.store(key, answer(1), ['inventory'], small.now());
  expect(small.stats().bytes).toBeLessThanOrEqual(700);
  expect(small.lookup('a')).toBeUndefined();
  expect(small.lookup('c')).toEqual(answer(1));
});

test('stock and order status events invalidate the subgraphs whose data they change; the monitor is never cached', () => {
  expect(changedByEvent('StockChanged')).toEqual(['inventory']);
  expect(changedByEvent('OrderStatusChanged')).toEqual(['orders', 'inventory']);
  expect([...cacheableSubgraphs(['inventory', 'orders', 'monitor'])]).toEqual(['inventory', 'orders']);
});
