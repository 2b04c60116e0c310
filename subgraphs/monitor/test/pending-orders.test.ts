import { pendingTooLongRule } from '../src/domain/pending-orders';

test('an order pending too long raises one WARNING per order, saying for how long and the limit', () => {
  const since = new Date('2026-11-28T10:00:00.000Z');
  const now = new Date('2026-11-28T10:01:15.400Z');
  expect(pendingTooLongRule(42, since, now, 60_000)).toEqual({
    raise: {
      alertType: 'ORDER_PENDING_TOO_LONG',
      severity: 'WARNING',
      source: 'orders',
      message: 'order 42 has been PENDING for 75 s (the limit is 60 s): inventory has not decided it',
      entityType: 'Order',
      entityId: '42',
      conditionKey: 'order-pending:42',
    },
    resolve: [],
  });
  expect(pendingTooLongRule(43, since, now, 60_000).raise?.conditionKey).not.toBe('order-pending:42');
});
