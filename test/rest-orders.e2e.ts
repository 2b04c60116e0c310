import { snakeCaseKeys } from '../gateway/src/rest/case';
import { restClient, type RestClient } from './support/rest-client';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;
let api: RestClient;

beforeAll(async () => {
  system = await startTestSystem();
  api = await restClient(system.gatewayUrl);
});

afterAll(async () => {
  await system?.close();
});

const orderFields = `id orderType status customerName customerEmail
  items { productId product { id name } productName quantity unitPrice subtotal }
  totalAmount failureReason history { from to reason at } createdAt updatedAt`;
const statsFields = `totalOrders byStatus { status count } byType { orderType count }
  confirmedSellRevenue averageOrderValue topProducts { product { id name } quantity revenue }`;

/** What GraphQL answers for the same data, in the REST shim's snake_case. */
async function viaGraphQL(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await system.graphql(query, variables);
  expect(errors).toBeUndefined();
  return snakeCaseKeys(data);
}

const graphqlOrder = async (id: string) =>
  (await viaGraphQL(`query ($id: ID!) { order(id: $id) { ${orderFields} } }`, { id })).order;

async function createProduct(name: string, stock: number): Promise<string> {
  const response = await api.post('/api/inventory/products', {
    name,
    price: 99.99,
    stock_quantity: stock,
    min_stock_level: 0,
  });
  expect(response.status).toBe(201);
  return response.body.id;
}

async function placeOrder(
  orderType: 'buy' | 'sell',
  productId: string,
  quantity: number,
  customerEmail = 'cliente@test.com',
) {
  const response = await api.post('/api/orders/orders', {
    order_type: orderType,
    customer_name: 'Cliente Test',
    customer_email: customerEmail,
    items: [{ product_id: Number(productId), product_name: 'Producto Test', quantity, unit_price: 99.99 }],
  });
  expect(response.status).toBe(201);
  return response.body;
}

const processed = (id: string) =>
  waitFor(
    async () => {
      const { body } = await api.get(`/api/orders/orders/${id}`);
      return body.status !== 'PENDING' && body;
    },
    30_000,
    `order ${id} to be processed`,
  );

const stockOf = async (productId: string) =>
  (await api.get(`/api/inventory/products/${productId}`)).body.stock_quantity;

describe('POST /api/orders/orders', () => {
  test("stores a PENDING order (201) that inventory confirms; GET answers as GraphQL's order(id)", async () => {
    const productId = await createProduct('Widget', 10);
    const created = await placeOrder('sell', productId, 2);
    expect(created).toEqual({
      id: expect.stringMatching(/^\d+$/),
      order_type: 'SELL',
      status: 'PENDING',
      customer_name: 'Cliente Test',
      customer_email: 'cliente@test.com',
      items: [
        {
          product_id: productId,
          product: { id: productId, name: 'Widget' },
          product_name: 'Producto Test',
          quantity: 2,
          unit_price: '99.99',
          subtotal: '199.98',
        },
      ],
      total_amount: '199.98',
      failure_reason: null,
      history: [{ from: null, to: 'PENDING', reason: null, at: created.created_at }],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const confirmed = await processed(created.id);
    expect(confirmed).toEqual(await graphqlOrder(created.id));
    expect(confirmed.status).toBe('CONFIRMED');
    expect(await stockOf(productId)).toBe(8);
  });

  test('an order for more than the stock is accepted, then REJECTED with the reason', async () => {
    const productId = await createProduct('Scarce', 1);
    const created = await placeOrder('sell', productId, 5);
    const rejected = await processed(created.id);
    expect({ status: rejected.status, failure_reason: rejected.failure_reason }).toEqual({
      status: 'REJECTED',
      failure_reason: expect.stringMatching(/^INSUFFICIENT_STOCK: /),
    });
    expect(await stockOf(productId)).toBe(1);
  });

  test.each([
    ['no items', { items: [] }, 'items', 'items: an order needs at least one item'],
    ['a bad email', { customer_email: 'nobody' }, 'customer_email', 'customer_email: must be an email address'],
    [
      'a zero quantity',
      { items: [{ product_id: 1, quantity: 0, unit_price: 1 }] },
      'items.0.quantity',
      'items.0.quantity: must be at least 1',
    ],
    [
      'a price with 3 decimals',
      { items: [{ product_id: 1, quantity: 1, unit_price: 1.234 }] },
      'items.0.unit_price',
      'items.0.unit_price: Decimal must be a number with at most 12 integer digits and 2 decimals',
    ],
    [
      'an unknown order type',
      { order_type: 'swap' },
      'order_type',
      'order_type: Invalid option: expected one of "buy"|"sell"|"BUY"|"SELL"',
    ],
    ['a missing customer', { customer_name: undefined }, 'customer_name', 'customer_name: required'],
  ])('refuses %s with 422 naming the field, and stores nothing', async (_case, change, field, message) => {
    const before = (await api.get('/api/orders/orders')).body.total;
    const response = await api.post('/api/orders/orders', {
      order_type: 'sell',
      customer_name: 'A',
      customer_email: 'a@example.com',
      items: [{ product_id: 1, quantity: 1, unit_price: 1 }],
      ...change,
    });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 422,
      body: { error: { code: 'BAD_USER_INPUT', field, message } },
    });
    expect((await api.get('/api/orders/orders')).body.total).toBe(before);
  });
});

describe('GET /api/orders/orders, /orders/{id} and /orders/stats', () => {
  test("filters and paging answer as GraphQL's orders(filter) and orderCount(filter)", async () => {
    const productId = await createProduct('Listed', 100);
    for (const type of ['buy', 'sell', 'buy'] as const) await placeOrder(type, productId, 1, 'lister@example.com');
    const response = await api.get(
      '/api/orders/orders?order_type=buy&customer_email=lister%40example.com&created_from=2000-01-01&limit=1&offset=1',
    );
    const expected = await viaGraphQL(
      `query ($filter: OrderFilter) { orders(filter: $filter, limit: 1, offset: 1) { ${orderFields} } orderCount(filter: $filter) }`,
      { filter: { orderType: 'BUY', customerEmail: 'lister@example.com', createdFrom: '2000-01-01' } },
    );
    expect(response.body).toEqual({ items: expected.orders, total: 2, limit: 1, offset: 1 });
    expect(
      (await api.get('/api/orders/orders?customer_email=lister%40example.com&created_to=2000-01-01')).body,
    ).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  test('an unknown order is 404 and a bad id or filter is 400', async () => {
    const answers = await Promise.all([
      api.get('/api/orders/orders/999999'),
      api.get('/api/orders/orders/x1'),
      api.get('/api/orders/orders?status=lost'),
      api.get('/api/orders/orders?limit=1.5'),
    ]);
    expect(answers.map(({ status, body }) => [status, body.error.code, body.error.field])).toEqual([
      [404, 'NOT_FOUND', undefined],
      [400, 'BAD_USER_INPUT', 'id'],
      [400, 'BAD_USER_INPUT', 'status'],
      [400, 'BAD_USER_INPUT', 'limit'],
    ]);
  });

  test("stats answer as GraphQL's orderStats", async () => {
    const productId = await createProduct('Counted', 10);
    await processed((await placeOrder('sell', productId, 3)).id);
    const response = await api.get('/api/orders/orders/stats');
    expect(response.body).toEqual((await viaGraphQL(`{ orderStats { ${statsFields} } }`)).order_stats);
    expect(response.body.total_orders).toBeGreaterThan(0);
  });
});

describe('PUT /api/orders/orders/{id}/status and DELETE /api/orders/orders/{id}', () => {
  test('an operator moves a confirmed order to shipped then completed; the status machine refuses the rest with 409', async () => {
    const productId = await createProduct('Shipped', 10);
    const { id } = await placeOrder('sell', productId, 1);
    await processed(id);
    const shipped = await api.put(`/api/orders/orders/${id}/status`, {
      status: 'shipped',
      reason: 'carrier picked it up',
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toEqual(await graphqlOrder(id));
    expect(shipped.body.history.at(-1)).toEqual({
      from: 'CONFIRMED',
      to: 'SHIPPED',
      reason: 'carrier picked it up',
      at: expect.any(String),
    });
    const answers = [
      await api.delete(`/api/orders/orders/${id}`),
      await api.put(`/api/orders/orders/${id}/status`, { status: 'COMPLETED' }),
      await api.put(`/api/orders/orders/${id}/status`, { status: 'shipped' }),
      await api.put(`/api/orders/orders/${id}/status`, { status: 'confirmed' }),
      await api.put('/api/orders/orders/999999/status', { status: 'shipped' }),
      await api.put(`/api/orders/orders/${id}/status`, { state: 'shipped' }),
      await api.put(`/api/orders/orders/${id}/status`, { status: 'shipped', notify: true }),
    ];
    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual([
      {
        status: 409,
        body: { error: { code: 'CONFLICT', message: `order ${id} is SHIPPED; it cannot become CANCELLED` } },
      },
      { status: 200, body: expect.objectContaining({ id, status: 'COMPLETED' }) },
      {
        status: 409,
        body: { error: { code: 'CONFLICT', message: `order ${id} is COMPLETED; it cannot become SHIPPED` } },
      },
      {
        status: 422,
        body: {
          error: {
            code: 'BAD_USER_INPUT',
            field: 'status',
            message:
              'status: CONFIRMED cannot be set by hand; operators move orders to SHIPPED, COMPLETED or CANCELLED',
          },
        },
      },
      { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Order 999999 not found' } } },
      { status: 422, body: { error: { code: 'BAD_USER_INPUT', field: 'status', message: 'status: required' } } },
      {
        status: 422,
        body: { error: { code: 'BAD_USER_INPUT', field: 'notify', message: 'notify: not a known field' } },
      },
    ]);
  });

  test('DELETE cancels a confirmed order, answers it CANCELLED, and inventory gives the stock back', async () => {
    const productId = await createProduct('Returned', 10);
    const { id } = await placeOrder('sell', productId, 4);
    await processed(id);
    expect(await stockOf(productId)).toBe(6);
    const response = await api.delete(`/api/orders/orders/${id}?reason=customer%20changed%20mind`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(await graphqlOrder(id));
    expect(response.body.history.at(-1)).toEqual({
      from: 'CONFIRMED',
      to: 'CANCELLED',
      reason: 'customer changed mind',
      at: expect.any(String),
    });
    await waitFor(async () => (await stockOf(productId)) === 10, 30_000, 'the stock to come back');
    const again = await api.delete(`/api/orders/orders/${id}`);
    expect({ status: again.status, body: again.body }).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: `order ${id} is CANCELLED; it cannot become CANCELLED` } },
    });
    expect((await api.delete('/api/orders/orders/999999')).status).toBe(404);
  });
});

test('GET /api/orders/health is 200 while orders answers', async () => {
  const response = await api.get('/api/orders/health');
  expect(response.body).toEqual({
    status: 'healthy',
    service: 'orders',
    response_time_ms: expect.any(Number),
    checked_at: expect.any(String),
  });
});
