import { decideOrder } from '../src/domain/order-decision';

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
