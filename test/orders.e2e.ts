import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
let productId: string;

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
  productId = await f.createProduct({ name: 'Orderable', stockQuantity: 1000 });
});

afterAll(async () => {
  await system?.close();
});

const createOrder = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id orderType status customerName customerEmail totalAmount failureReason
  items { productName quantity unitPrice subtotal product { id } } } }`;
const orderCount = async () => (await system.graphql<{ orderCount: number }>('{ orderCount }')).data!.orderCount;
const validOrder = () => ({
  orderType: 'SELL',
  customerName: 'Cliente Test',
  customerEmail: 'cliente@test.com',
  items: [{ productId, productName: 'Producto Test', quantity: 2, unitPrice: 99.99 }],
});
const setStatus = (id: string, status: string) =>
  system.graphql(
    `mutation ($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status, reason: "by test") { status history { from to reason } } }`,
    { id, status },
  );

test('an order is stored PENDING with exact totals and subtotals', async () => {
  const { data, errors } = await system.graphql(createOrder, {
    input: {
      ...validOrder(),
      items: [
        { productId, quantity: 3, unitPrice: '0.10' },
        { productId, productName: 'again', quantity: 1, unitPrice: '99.99' },
      ],
    },
  });

  expect(errors).toBeUndefined();
  expect(data!.createOrder).toEqual({
    id: expect.any(String),
    orderType: 'SELL',
    status: 'PENDING',
    customerName: 'Cliente Test',
    customerEmail: 'cliente@test.com',
    totalAmount: '100.29',
    failureReason: null,
    items: [
      { productName: null, quantity: 3, unitPrice: '0.10', subtotal: '0.30', product: { id: productId } },
      { productName: 'again', quantity: 1, unitPrice: '99.99', subtotal: '99.99', product: { id: productId } },
    ],
  });
});

test.each([
  ['no items', { items: [] }, 'input.items'],
  ['a zero quantity', { items: [{ productId: '1', quantity: 0, unitPrice: '1.00' }] }, 'input.items.0.quantity'],
  ['a negative quantity', { items: [{ productId: '1', quantity: -3, unitPrice: '1.00' }] }, 'input.items.0.quantity'],
  [
    'an absurd quantity',
    { items: [{ productId: '1', quantity: 1_000_000_000, unitPrice: '1.00' }] },
    'input.items.0.quantity',
  ],
  [
    'a negative unit price',
    { items: [{ productId: '1', quantity: 1, unitPrice: '-1.00' }] },
    'input.items.0.unitPrice',
  ],
  [
    'a malformed product id',
    { items: [{ productId: 'abc', quantity: 1, unitPrice: '1.00' }] },
    'input.items.0.productId',
  ],
  ['a malformed email', { customerEmail: 'not-an-email' }, 'input.customerEmail'],
  ['an empty customer name', { customerName: ' ' }, 'input.customerName'],
  ['a customer name too long', { customerName: 'n'.repeat(201) }, 'input.customerName'],
  [
    'a total beyond what can be stored',
    { items: [{ productId: '1', quantity: 1_000_000, unitPrice: '999999999.99' }] },
    'input.items',
  ],
])(
  'an order with %s is refused with BAD_USER_INPUT naming the field, and nothing is stored',
  async (_case, override, field) => {
    const before = await orderCount();

    const { data, errors } = await system.graphql(createOrder, { input: { ...validOrder(), ...override } });

    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) }),
    ]);
    expect(await orderCount()).toBe(before);
  },
);

test('an order type that does not exist is refused by the schema', async () => {
  const { errors } = await system.graphql(createOrder, { input: { ...validOrder(), orderType: 'RENT' } });

  expect(errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
});

test('a confirmed order moves through SHIPPED to COMPLETED, each change recorded in its history', async () => {
  const id = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(id)).toBe('CONFIRMED');

  await setStatus(id, 'SHIPPED');
  const { data } = await setStatus(id, 'COMPLETED');

  expect(data!.updateOrderStatus).toEqual({
    status: 'COMPLETED',
    history: [
      { from: null, to: 'PENDING', reason: null },
      { from: 'PENDING', to: 'CONFIRMED', reason: null },
      { from: 'CONFIRMED', to: 'SHIPPED', reason: 'by test' },
      { from: 'SHIPPED', to: 'COMPLETED', reason: 'by test' },
    ],
  });
});

test('invalid status changes are refused with CONFLICT (or BAD_USER_INPUT for inventory-only statuses) and change nothing', async () => {
  const id = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(id)).toBe('CONFIRMED');
  await setStatus(id, 'SHIPPED');

  const back = await setStatus(id, 'CONFIRMED');
  const cancelShipped = await system.graphql(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id });
  const unknown = await setStatus('424242', 'SHIPPED');
  const pending = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  const skip = await setStatus(pending, 'COMPLETED');

  expect(back.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'status' });
  expect(cancelShipped.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', currentStatus: 'SHIPPED' });
  expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  expect(skip.errors?.[0].extensions?.code).toBe('CONFLICT');
  expect(await f.orderStatus(id)).toBe('SHIPPED');
});

test('when two operators race to move the same order, exactly one wins', async () => {
  const id = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(id)).toBe('CONFIRMED');

  const results = await Promise.all(
    [...Array(5).fill('SHIPPED'), ...Array(5).fill('CANCELLED')].map((status) => setStatus(id, status)),
  );

  expect(results.filter((result) => result.data)).toHaveLength(1);
  expect(results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(9);
  const { data } = await system.graphql(`query ($id: ID!) { order(id: $id) { history { to } } }`, { id });
  expect(data!.order.history).toHaveLength(3);
});

test('orders can be filtered by status, type, customer email and date range, paged, and counted', async () => {
  const email = `filter-${Date.now()}@example.com`;
  const create = (orderType: string, quantity: number) =>
    system
      .graphql<{ createOrder: { id: string } }>(createOrder, {
        input: {
          ...validOrder(),
          orderType,
          customerEmail: email,
          items: [{ productId, quantity, unitPrice: '1.00' }],
        },
      })
      .then((result) => result.data!.createOrder.id);
  const start = new Date(Date.now() - 1000).toISOString();
  const ids = [await create('SELL', 1), await create('BUY', 2), await create('SELL', 3)];
  await f.waitForAllProcessed(ids);

  const { data } = await system.graphql(
    `query ($email: String, $from: DateTime) {
    sells: orders(filter: { customerEmail: $email, orderType: SELL }) { id }
    page: orders(filter: { customerEmail: $email }, limit: 1, offset: 1) { id }
    confirmed: orderCount(filter: { customerEmail: $email, status: CONFIRMED, createdFrom: $from })
    future: orderCount(filter: { customerEmail: $email, createdFrom: "2999-01-01T00:00:00Z" })
    all: orderCount(filter: { customerEmail: $email })
  }`,
    { email: email.toUpperCase(), from: start },
  );

  expect(data).toEqual({
    sells: [{ id: ids[2] }, { id: ids[0] }],
    page: [{ id: ids[1] }],
    confirmed: 3,
    future: 0,
    all: 3,
  });
});

test('order statistics and the product figures from orders agree with the orders placed', async () => {
  const product = await f.createProduct({ name: 'Statistic', stockQuantity: 100 });
  const sold = [
    await f.createOrder('SELL', [{ productId: product, quantity: 4, unitPrice: '2.50' }]),
    await f.createOrder('SELL', [{ productId: product, quantity: 6, unitPrice: '2.50' }]),
  ];
  const bought = await f.createOrder('BUY', [{ productId: product, quantity: 7, unitPrice: '1.00' }]);
  await f.waitForAllProcessed([...sold, bought]);
  await system.graphql(`mutation ($id: ID!) { cancelOrder(id: $id) { id } }`, { id: sold[1] });
  const pending = await f.createOrder('SELL', [{ productId: product, quantity: 1000 }]);

  const { data } = await system.graphql(
    `query ($id: ID!) {
    orderStats { totalOrders byStatus { status count } byType { orderType count } confirmedSellRevenue averageOrderValue
      topProducts(limit: 50) { product { id name } quantity revenue } }
    product(id: $id) { quantitySold quantityPurchased pendingOrderCount }
  }`,
    { id: product },
  );
  const orders = (
    await system.graphql<{ orders: { status: string; orderType: string; totalAmount: string }[] }>(
      `{ orders(limit: 500) { status orderType totalAmount } }`,
    )
  ).data!.orders;

  const effective = orders.filter(
    (order) => order.orderType === 'SELL' && ['CONFIRMED', 'SHIPPED', 'COMPLETED'].includes(order.status),
  );
  const revenueCents = effective.reduce((sum, order) => sum + Math.round(Number(order.totalAmount) * 100), 0);
  expect(data!.orderStats.totalOrders).toBe(orders.length);
  expect(data!.orderStats.confirmedSellRevenue).toBe((revenueCents / 100).toFixed(2));
  expect(data!.orderStats.averageOrderValue).toBe((revenueCents / 100 / effective.length).toFixed(2));
  expect(data!.orderStats.byStatus.reduce((sum: number, row: { count: number }) => sum + row.count, 0)).toBe(
    orders.length,
  );
  expect(data!.orderStats.byType).toEqual(
    ['BUY', 'SELL'].map((orderType) => ({
      orderType,
      count: orders.filter((order) => order.orderType === orderType).length,
    })),
  );
  expect(data!.orderStats.topProducts).toContainEqual({
    product: { id: product, name: 'Statistic' },
    quantity: 4,
    revenue: '10.00',
  });
  expect(data!.product).toEqual({ quantitySold: 4, quantityPurchased: 7, pendingOrderCount: pending ? 1 : 0 });
});
