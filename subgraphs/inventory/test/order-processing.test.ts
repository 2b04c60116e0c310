import { decideOrder } from '../src/domain/order-decision';
import { quantityLimits } from '@io/domain/limits';

const stock = new Map([
  [1, 5],
  [2, 0],
]);

test('a sell order that fits the stock is accepted', () => {
  expect(decideOrder('SELL', [{ productId: 1, quantity: 5 }], stock)).toEqual({ accepted: new Map([[1, 5]]) });
});

test('two lines of the same product count together', () => {
  expect(
    decideOrder(
      'SELL',
      [
        { productId: 1, quantity: 3 },
        { productId: 1, quantity: 3 },
      ],
      stock,
    ),
  ).toEqual({
    rejection: { code: 'INSUFFICIENT_STOCK', message: 'product 1: 6 wanted, 5 in stock', productId: 1 },
  });
});

test('an unknown product or a non-positive quantity is rejected with a machine-readable code', () => {
  expect(decideOrder('BUY', [{ productId: 9, quantity: 1 }], stock)).toMatchObject({
    rejection: { code: 'UNKNOWN_PRODUCT', productId: 9 },
  });
  expect(decideOrder('SELL', [{ productId: 1, quantity: 0 }], stock)).toMatchObject({
    rejection: { code: 'INVALID_QUANTITY', productId: 1 },
  });
});

test('a buy order needs no stock', () => {
  expect(decideOrder('BUY', [{ productId: 2, quantity: 10 }], stock)).toEqual({ accepted: new Map([[2, 10]]) });
});

test('a line past the quantity limit is INVALID_QUANTITY; a buy that would bring stock past the limit is STOCK_LIMIT_EXCEEDED', () => {
  const { maxItemQuantity, maxStock } = quantityLimits;
  expect(decideOrder('BUY', [{ productId: 1, quantity: maxItemQuantity + 1 }], stock)).toMatchObject({
    rejection: { code: 'INVALID_QUANTITY', productId: 1 },
  });
  const nearlyFull = new Map([[1, maxStock - 10]]);
  expect(decideOrder('BUY', [{ productId: 1, quantity: 10 }], nearlyFull)).toEqual({ accepted: new Map([[1, 10]]) });
  expect(
    decideOrder(
      'BUY',
      [
        { productId: 1, quantity: 6 },
        { productId: 1, quantity: 5 },
      ],
      nearlyFull,
    ),
  ).toMatchObject({ rejection: { code: 'STOCK_LIMIT_EXCEEDED', productId: 1 } });
  expect(decideOrder('SELL', [{ productId: 1, quantity: maxItemQuantity }], nearlyFull)).toEqual({
    accepted: new Map([[1, maxItemQuantity]]),
  });
});
