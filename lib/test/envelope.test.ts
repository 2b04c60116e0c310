import { orderCreated } from '@io/events/catalog';
import { createEnvelope, InvalidEventError, parseEnvelope } from '@io/events/envelope';

const data = { orderId: 7, orderType: 'SELL' as const, items: [{ productId: 1, quantity: 2 }] };

test('an envelope survives the wire and keeps its id, type and version', () => {
  const envelope = createEnvelope(orderCreated, data);

  expect(parseEnvelope(orderCreated, Buffer.from(JSON.stringify(envelope)))).toEqual(envelope);
  expect(envelope).toMatchObject({ type: 'OrderCreated', version: 1, data });
  expect(orderCreated.key(data)).toBe('7');
});

test.each([
  ['not JSON', '{oops', /not JSON/],
  ['no envelope', JSON.stringify(data), /bad envelope/],
  [
    'another event type',
    JSON.stringify({ ...createEnvelope(orderCreated, data), type: 'OrderShipped' }),
    /unexpected OrderShipped v1/,
  ],
  [
    'a newer payload version',
    JSON.stringify({ ...createEnvelope(orderCreated, data), version: 2 }),
    /unexpected OrderCreated v2/,
  ],
  [
    'a payload that breaks the schema',
    JSON.stringify({ ...createEnvelope(orderCreated, data), data: { orderId: 'x', items: [] } }),
    /bad OrderCreated payload/,
  ],
])('a message with %s is refused as invalid', (_case, raw, message) => {
  expect(() => parseEnvelope(orderCreated, raw)).toThrow(InvalidEventError);
  expect(() => parseEnvelope(orderCreated, raw)).toThrow(message);
});

test('producing an invalid payload fails at the producer, before it reaches the outbox', () => {
  expect(() => createEnvelope(orderCreated, { ...data, items: [] })).toThrow();
});
