import type { OrderCreated } from '@io/events/catalog';
import { planOrders } from '../src/domain/order-decision';
import type { ChangedProduct } from '../src/domain/stock';

const product = (id: number, stockQuantity: number, minStockLevel = 0): ChangedProduct => ({
  id,
  name: `P${id}`,
  stockQuantity,
  minStockLevel,
  stockVersion: 7,
});
const stockOf = (...products: ChangedProduct[]) => new Map(products.map((p) => [p.id, p]));
const sell = (orderId: number, ...items: [number, number][]): OrderCreated => ({
  orderId,
  orderType: 'SELL',
  items: items.map(([productId, quantity]) => ({ productId, quantity })),
});
const eventsOf = (plan: ReturnType<typeof planOrders>) =>
  plan.events.map((entry) => ({ topic: entry.topic, data: entry.envelope.data }));

test('orders of a batch are decided in order against the stock the ones before them left', () => {
  const plan = planOrders([sell(1, [10, 2]), sell(2, [10, 2]), sell(3, [10, 1])], new Map(), stockOf(product(10, 3)));
  expect(plan.applied).toEqual([1, 3]);
  expect(plan.movements).toEqual([
    { productId: 10, quantityChange: -2, movementType: 'SALE', referenceId: 'order:1', balanceAfter: 1 },
    { productId: 10, quantityChange: -1, movementType: 'SALE', referenceId: 'order:3', balanceAfter: 0 },
  ]);
  expect(plan.products).toEqual([{ ...product(10, 0), stockVersion: 9 }]);
  expect(
    eventsOf(plan)
      .filter((event) => event.topic === 'order-processed')
      .map((event) => event.data),
  ).toEqual([
    { orderId: 1, outcome: 'CONFIRMED' },
    {
      orderId: 2,
      outcome: 'REJECTED',
      rejection: { code: 'INSUFFICIENT_STOCK', message: 'product 10: 2 wanted, 1 in stock', productId: 10 },
    },
    { orderId: 3, outcome: 'CONFIRMED' },
  ]);
});

test('each stock change is announced with its own version, and a crossing of the minimum once, where it happens', () => {
  const plan = planOrders([sell(1, [10, 1]), sell(2, [10, 1])], new Map(), stockOf(product(10, 3, 2)));
  expect(eventsOf(plan)).toEqual([
    {
      topic: 'stock-changed',
      data: expect.objectContaining({
        productId: 10,
        quantityChange: -1,
        stockQuantity: 2,
        stockVersion: 8,
        referenceId: 'order:1',
      }),
    },
    {
      topic: 'stock-level-changed',
      data: expect.objectContaining({
        productId: 10,
        previousLevel: 'OK',
        level: 'LOW',
        stockQuantity: 2,
        stockVersion: 8,
      }),
    },
    { topic: 'order-processed', data: { orderId: 1, outcome: 'CONFIRMED' } },
    {
      topic: 'stock-changed',
      data: expect.objectContaining({
        productId: 10,
        quantityChange: -1,
        stockQuantity: 1,
        stockVersion: 9,
        referenceId: 'order:2',
      }),
    },
    { topic: 'order-processed', data: { orderId: 2, outcome: 'CONFIRMED' } },
  ]);
});

test('an order whose cancellation came first is rejected; one already applied is left alone; neither touches stock', () => {
  const plan = planOrders(
    [sell(1, [10, 1]), sell(2, [10, 1])],
    new Map([
      [1, 'CANCELLED_FIRST'],
      [2, 'APPLIED'],
    ]),
    stockOf(product(10, 5)),
  );
  expect(plan.applied).toEqual([]);
  expect(plan.movements).toEqual([]);
  expect(plan.products).toEqual([]);
  expect(eventsOf(plan)).toEqual([
    {
      topic: 'order-processed',
      data: expect.objectContaining({
        orderId: 1,
        outcome: 'REJECTED',
        rejection: expect.objectContaining({ code: 'ORDER_CANCELLED' }),
      }),
    },
  ]);
});

test('the same order twice in one batch is applied once', () => {
  const plan = planOrders([sell(1, [10, 1]), sell(1, [10, 1])], new Map(), stockOf(product(10, 5)));
  expect(plan.applied).toEqual([1]);
  expect(plan.products).toEqual([{ ...product(10, 4), stockVersion: 8 }]);
});

test('a rejected order leaves every line untouched (all or nothing), and a buy brings stock in', () => {
  const buy: OrderCreated = { orderId: 2, orderType: 'BUY', items: [{ productId: 11, quantity: 4 }] };
  const plan = planOrders([sell(1, [10, 1], [11, 9]), buy], new Map(), stockOf(product(10, 5), product(11, 1)));
  expect(plan.applied).toEqual([2]);
  expect(plan.movements).toEqual([
    { productId: 11, quantityChange: 4, movementType: 'PURCHASE', referenceId: 'order:2', balanceAfter: 5 },
  ]);
  expect(plan.products.map((p) => [p.id, p.stockQuantity])).toEqual([[11, 5]]);
});
