import { eventId, idempotentRequest } from '@io/db/idempotency';

test('the same arguments in another key order are the same request; other arguments are another', () => {
  const first = idempotentRequest('ana', 'k1', 'createOrder', { input: { a: 1, b: [{ x: 1, y: 2 }] } });
  const reordered = idempotentRequest('ana', 'k1', 'createOrder', { input: { b: [{ y: 2, x: 1 }], a: 1 } });
  const other = idempotentRequest('ana', 'k1', 'createOrder', { input: { a: 2, b: [{ x: 1, y: 2 }] } });
  const otherOperation = idempotentRequest('ana', 'k1', 'cancelOrder', { input: { a: 1, b: [{ x: 1, y: 2 }] } });
  expect(reordered).toEqual(first);
  expect(other!.fingerprint).not.toBe(first!.fingerprint);
  expect(otherOperation!.fingerprint).not.toBe(first!.fingerprint);
});

test('no key, no idempotent request; a malformed key is BAD_USER_INPUT', () => {
  expect(idempotentRequest('ana', undefined, 'createOrder', {})).toBeNull();
  expect(idempotentRequest('ana', null, 'createOrder', {})).toBeNull();
  for (const key of ['', ' ', 'a b', 'é', 'x'.repeat(201)]) {
    expect(() => idempotentRequest('ana', key, 'createOrder', {})).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey' } }),
    );
  }
});

test("event ids are UUIDs derived from caller, key and event type: stable for a retry, distinct between callers' keys", () => {
  const ana = idempotentRequest('ana', 'k1', 'createOrder', {})!;
  const bo = idempotentRequest('bo', 'k1', 'createOrder', {})!;
  const id = eventId(ana, 'OrderCreated');
  expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(eventId({ ...ana }, 'OrderCreated')).toBe(id);
  expect(eventId(bo, 'OrderCreated')).not.toBe(id);
  expect(eventId(ana, 'OrderStatusChanged')).not.toBe(id);
});
