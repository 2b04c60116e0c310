import { deadLetterRule, orderRejectedRule, serviceHealthRule, stockLevelRule } from '../src/domain/alert-rules';

const level = (previousLevel: 'OK' | 'LOW' | 'OUT', next: 'OK' | 'LOW' | 'OUT', stockQuantity: number) => ({
  productId: 7,
  productName: 'Widget',
  previousLevel,
  level: next,
  stockQuantity,
  minStockLevel: 5,
  stockVersion: 3,
});

const product = { source: 'inventory', entityType: 'Product', entityId: '7' };

test('stock falling to LOW raises a LOW_STOCK warning and ends an OUT_OF_STOCK alert', () => {
  expect(stockLevelRule(level('OK', 'LOW', 2))).toEqual({
    raise: {
      ...product,
      alertType: 'LOW_STOCK',
      severity: 'WARNING',
      conditionKey: 'low-stock:7',
      message: 'Widget is low on stock: 2 left, minimum 5',
    },
    resolve: ['out-of-stock:7'],
  });
  expect(stockLevelRule(level('OUT', 'LOW', 1)).resolve).toEqual(['out-of-stock:7']);
});

test('stock reaching zero raises a critical OUT_OF_STOCK and ends the LOW_STOCK alert', () => {
  expect(stockLevelRule(level('LOW', 'OUT', 0))).toEqual({
    raise: {
      ...product,
      alertType: 'OUT_OF_STOCK',
      severity: 'CRITICAL',
      conditionKey: 'out-of-stock:7',
      message: 'Widget is out of stock',
    },
    resolve: ['low-stock:7'],
  });
});

test('stock back above its minimum raises nothing and ends both stock alerts', () => {
  expect(stockLevelRule(level('LOW', 'OK', 9))).toEqual({ raise: null, resolve: ['low-stock:7', 'out-of-stock:7'] });
});

test('rejected orders are grouped by reason and product; the message names the latest; a confirmed one raises nothing', () => {
  expect(
    orderRejectedRule({
      orderId: 12,
      outcome: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_STOCK', message: 'product 7: 2 wanted, 1 in stock', productId: 7 },
    }),
  ).toEqual({
    raise: {
      alertType: 'ORDER_REJECTED',
      severity: 'WARNING',
      source: 'inventory',
      message: 'orders rejected for product 7 (not enough stock); latest: order 12: product 7: 2 wanted, 1 in stock',
      entityType: 'Product',
      entityId: '7',
      conditionKey: 'order-rejected:INSUFFICIENT_STOCK:7',
    },
    resolve: [],
  });
  const cancelled = orderRejectedRule({
    orderId: 13,
    outcome: 'REJECTED',
    rejection: { code: 'ORDER_CANCELLED', message: 'order 13 was cancelled before inventory processed it' },
  }).raise;
  expect(cancelled).toMatchObject({
    entityType: null,
    entityId: null,
    conditionKey: 'order-rejected:ORDER_CANCELLED:none',
  });
  expect(orderRejectedRule({ orderId: 12, outcome: 'CONFIRMED' })).toEqual({ raise: null, resolve: [] });
});

test('dead letters of one consumer group and topic share one condition, named without the environment prefix', () => {
  const letter = (offset: string) => ({
    consumerGroup: 'env.inventory-service',
    topic: 'env.order-created',
    partition: 1,
    offset,
    key: '5',
    value: '{}',
    error: 'bad payload',
    attempts: 0,
  });
  expect(deadLetterRule(letter('4'), 'env.')).toEqual({
    raise: {
      alertType: 'PROCESSING_ERROR',
      severity: 'CRITICAL',
      source: 'inventory',
      entityType: null,
      entityId: null,
      conditionKey: 'processing-error:inventory-service:order-created',
      message:
        'inventory-service dead-lettered a message of order-created (partition 1, offset 4) that could not be read: bad payload',
    },
    resolve: [],
  });
  expect(deadLetterRule(letter('9'), 'env.').raise!.conditionKey).toBe(
    deadLetterRule(letter('4'), 'env.').raise!.conditionKey,
  );
  expect(deadLetterRule({ ...letter('4'), attempts: 5 }, 'env.').raise!.message).toContain('that failed 5 times');
});

test('a failing service raises a critical SERVICE_DOWN; a healthy probe ends it', () => {
  expect(serviceHealthRule('orders', false, 'ECONNREFUSED')).toEqual({
    raise: {
      alertType: 'SERVICE_DOWN',
      severity: 'CRITICAL',
      source: 'orders',
      message: 'orders is down: ECONNREFUSED',
      entityType: null,
      entityId: null,
      conditionKey: 'service-down:orders',
    },
    resolve: [],
  });
  expect(serviceHealthRule('orders', true, null)).toEqual({ raise: null, resolve: ['service-down:orders'] });
});
