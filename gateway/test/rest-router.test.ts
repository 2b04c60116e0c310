import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '@io/logger';
import { restClient, type RestClient } from '../../test/support/rest-client';
import type { ExecuteGraphQL, GraphQLResult } from '../src/execute';
import { createRestRouter } from '../src/rest';

/** The router on a real HTTP server, in front of a fake gateway that records each operation it is asked to run. */
let answers: Record<string, GraphQLResult>;
let calls: { operation: string; variables: Record<string, unknown> | undefined }[];
let server: Server;
let baseUrl: string;
let api: RestClient;

const execute: ExecuteGraphQL = async (query, variables) => {
  const operation = /^\s*(?:query|mutation) (\w+)/.exec(query)![1];
  calls.push({ operation, variables });
  return (
    answers[operation] ?? {
      errors: [{ message: `no answer for ${operation}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    }
  );
};

beforeAll(async () => {
  const app = express();
  app.use(
    '/api',
    createRestRouter(() => execute, createLogger('test', 'silent')),
  );
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = await restClient(baseUrl);
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

beforeEach(() => {
  answers = {};
  calls = [];
});

const product = {
  id: '1',
  name: 'Producto Test',
  description: 'Descripción del producto',
  price: '99.99',
  stockQuantity: 50,
  minStockLevel: 10,
  isLowStock: false,
  stockLevel: 'OK',
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:00:00.000Z',
};
const productRest = {
  id: '1',
  name: 'Producto Test',
  description: 'Descripción del producto',
  price: '99.99',
  stock_quantity: 50,
  min_stock_level: 10,
  is_low_stock: false,
  stock_level: 'OK',
  created_at: '2024-05-01T10:00:00.000Z',
  updated_at: '2024-05-01T10:00:00.000Z',
};
const order = {
  id: '7',
  orderType: 'SELL',
  status: 'PENDING',
  customerName: 'Cliente Test',
  customerEmail: 'cliente@test.com',
  items: [
    {
      productId: '1',
      product: { id: '1', name: 'Producto Test' },
      productName: 'Producto Test',
      quantity: 2,
      unitPrice: '99.99',
      subtotal: '199.98',
    },
  ],
  totalAmount: '199.98',
  failureReason: null,
  history: [{ from: null, to: 'PENDING', reason: null, at: '2024-05-01T10:00:00.000Z' }],
  createdAt: '2024-05-01T10:00:00.000Z',
  updatedAt: '2024-05-01T10:00:00.000Z',
};
const orderRest = {
  id: '7',
  order_type: 'SELL',
  status: 'PENDING',
  customer_name: 'Cliente Test',
  customer_email: 'cliente@test.com',
  items: [
    {
      product_id: '1',
      product: { id: '1', name: 'Producto Test' },
      product_name: 'Producto Test',
      quantity: 2,
      unit_price: '99.99',
      subtotal: '199.98',
    },
  ],
  total_amount: '199.98',
  failure_reason: null,
  history: [{ from: null, to: 'PENDING', reason: null, at: '2024-05-01T10:00:00.000Z' }],
  created_at: '2024-05-01T10:00:00.000Z',
  updated_at: '2024-05-01T10:00:00.000Z',
};

describe("the seed's request bodies", () => {
  test('POST /products becomes createProduct with camelCase input and answers 201 with the snake_case product', async () => {
    answers.RestCreateProduct = { data: { createProduct: product } };
    const response = await api.post('/api/inventory/products', {
      name: 'Producto Test',
      description: 'Descripción del producto',
      price: 99.99,
      stock_quantity: 50,
      min_stock_level: 10,
    });
    expect(calls).toEqual([
      {
        operation: 'RestCreateProduct',
        variables: {
          input: {
            name: 'Producto Test',
            description: 'Descripción del producto',
            price: 99.99,
            stockQuantity: 50,
            minStockLevel: 10,
          },
        },
      },
    ]);
    expect(response.status).toBe(201);
    expect(response.body).toEqual(productRest);
  });

  test('POST /products/1/stock with movement_type "sale" becomes adjustStock with the SALE enum', async () => {
    answers.RestAdjustStock = {
      data: {
        adjustStock: {
          id: '3',
          product: { ...product, stockQuantity: 45 },
          quantityChange: -5,
          balanceAfter: 45,
          movementType: 'SALE',
          referenceId: 'ORDER-123',
          notes: 'Venta de producto',
          createdAt: '2024-05-01T10:01:00.000Z',
        },
      },
    };
    const response = await api.post('/api/inventory/products/1/stock', {
      quantity_change: -5,
      movement_type: 'sale',
      reference_id: 'ORDER-123',
      notes: 'Venta de producto',
    });
    expect(calls).toEqual([
      {
        operation: 'RestAdjustStock',
        variables: {
          id: '1',
          input: { quantityChange: -5, movementType: 'SALE', referenceId: 'ORDER-123', notes: 'Venta de producto' },
        },
      },
    ]);
    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: '3',
      product: { ...productRest, stock_quantity: 45 },
      quantity_change: -5,
      balance_after: 45,
      movement_type: 'SALE',
      reference_id: 'ORDER-123',
      notes: 'Venta de producto',
      created_at: '2024-05-01T10:01:00.000Z',
    });
  });

  test('POST /orders with order_type "sell" and a numeric product_id becomes createOrder with SELL and an ID string', async () => {
    answers.RestCreateOrder = { data: { createOrder: order } };
    const response = await api.post('/api/orders/orders', {
      order_type: 'sell',
      customer_name: 'Cliente Test',
      customer_email: 'cliente@test.com',
      items: [{ product_id: 1, product_name: 'Producto Test', quantity: 2, unit_price: 99.99 }],
    });
    expect(calls).toEqual([
      {
        operation: 'RestCreateOrder',
        variables: {
          input: {
            orderType: 'SELL',
            customerName: 'Cliente Test',
            customerEmail: 'cliente@test.com',
            items: [{ productId: '1', productName: 'Producto Test', quantity: 2, unitPrice: 99.99 }],
          },
        },
      },
    ]);
    expect(response.status).toBe(201);
    expect(response.body).toEqual(orderRest);
  });
});

describe('routing and query parameters', () => {
  test('GET /products/low-stock lists low-stock products; it is not product "low-stock"', async () => {
    answers.RestListProducts = { data: { products: [product], productCount: 1 } };
    const response = await api.get('/api/inventory/products/low-stock');
    expect(calls).toEqual([
      { operation: 'RestListProducts', variables: { filter: { lowStock: true }, limit: 100, offset: 0 } },
    ]);
    expect(response.body).toEqual({ items: [productRest], total: 1, limit: 100, offset: 0 });
  });

  test('GET /orders/stats answers the stats; it is not order "stats"', async () => {
    answers.RestOrderStats = {
      data: {
        orderStats: {
          totalOrders: 1,
          byStatus: [{ status: 'PENDING', count: 1 }],
          byType: [{ orderType: 'SELL', count: 1 }],
          confirmedSellRevenue: '0.00',
          averageOrderValue: '0.00',
          topProducts: [],
        },
      },
    };
    const response = await api.get('/api/orders/orders/stats');
    expect(response.body).toEqual({
      total_orders: 1,
      by_status: [{ status: 'PENDING', count: 1 }],
      by_type: [{ order_type: 'SELL', count: 1 }],
      confirmed_sell_revenue: '0.00',
      average_order_value: '0.00',
      top_products: [],
    });
  });

  test('product filters and paging travel as the GraphQL filter, and the page says what it holds', async () => {
    answers.RestListProducts = { data: { products: [product], productCount: 12 } };
    const response = await api.get('/api/inventory/products?search=test&low_stock=false&limit=1&offset=3');
    expect(calls).toEqual([
      {
        operation: 'RestListProducts',
        variables: { filter: { search: 'test', lowStock: false }, limit: 1, offset: 3 },
      },
    ]);
    expect(response.body).toEqual({ items: [productRest], total: 12, limit: 1, offset: 3 });
  });

  test("order filters accept the replaced system's lowercase values", async () => {
    answers.RestListOrders = { data: { orders: [], orderCount: 0 } };
    const response = await api.get(
      '/api/orders/orders?status=pending&order_type=buy&customer_email=a%40b.c&created_from=2024-01-01&created_to=2024-02-01T00:00:00Z',
    );
    expect(calls).toEqual([
      {
        operation: 'RestListOrders',
        variables: {
          filter: {
            status: 'PENDING',
            orderType: 'BUY',
            customerEmail: 'a@b.c',
            createdFrom: '2024-01-01',
            createdTo: '2024-02-01T00:00:00Z',
          },
          limit: 50,
          offset: 0,
        },
      },
    ]);
    expect(response.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  test('DELETE /orders/{id} cancels the order with the reason given', async () => {
    answers.RestCancelOrder = { data: { cancelOrder: { ...order, status: 'CANCELLED' } } };
    const response = await api.delete('/api/orders/orders/7?reason=changed%20my%20mind');
    expect(calls).toEqual([{ operation: 'RestCancelOrder', variables: { id: '7', reason: 'changed my mind' } }]);
    expect(response.body).toEqual({ ...orderRest, status: 'CANCELLED' });
  });

  test('a resource GraphQL does not know is 404', async () => {
    answers.RestGetProduct = { data: { product: null } };
    expect((await api.get('/api/inventory/products/42')).body).toEqual({
      error: { code: 'NOT_FOUND', message: 'Product 42 not found' },
    });
  });
});

describe('invalid requests never reach GraphQL and name what is wrong', () => {
  afterEach(() => expect(calls).toEqual([]));

  test.each([
    ['a missing required field', { name: 'x', price: 1 }, 'stock_quantity', 'stock_quantity: required'],
    [
      'a field of the wrong type',
      { name: 'x', price: 1, stock_quantity: '5' },
      'stock_quantity',
      'stock_quantity: Invalid input: expected number, received string',
    ],
    [
      'an unknown field',
      { name: 'x', price: 1, stock_quantity: 5, colour: 'red' },
      'colour',
      'colour: not a known field',
    ],
    ['a body that is not an object', [1, 2], 'body', 'body: Invalid input: expected object, received array'],
  ])('%s in a body is 422', async (_case, json, field, message) => {
    const response = await api.post('/api/inventory/products', json);
    expect(response.status).toBe(422);
    expect(response.body).toEqual({ error: { code: 'BAD_USER_INPUT', message, field } });
  });

  test('a stock change through PUT /products/{id} is refused with where to send it', async () => {
    const response = await api.put('/api/inventory/products/1', { stock_quantity: 3 });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        field: 'stock_quantity',
        message:
          'stock_quantity: stock changes go through POST /api/inventory/products/{id}/stock, which records the movement',
      },
    });
  });

  test('an unknown enum value names the field', async () => {
    const response = await api.put('/api/orders/orders/1/status', { status: 'lost' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        field: 'status',
        message:
          'status: Invalid option: expected one of "pending"|"confirmed"|"rejected"|"shipped"|"completed"|"cancelled"|"PENDING"|"CONFIRMED"|"REJECTED"|"SHIPPED"|"COMPLETED"|"CANCELLED"',
      },
    });
  });

  test('a nested field is named by its path', async () => {
    const response = await api.post('/api/orders/orders', {
      order_type: 'sell',
      customer_name: 'A',
      customer_email: 'a@b.c',
      items: [{ product_id: 'one', quantity: 1, unit_price: 1 }],
    });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        field: 'items.0.product_id',
        message: 'items.0.product_id: must be a positive integer',
      },
    });
  });

  test.each([
    ['/api/inventory/products/abc', 'id', 'id: must be a positive integer'],
    ['/api/inventory/products/0', 'id', 'id: must be a positive integer'],
    ['/api/inventory/products/99999999999', 'id', 'id: must be a positive integer'],
    ['/api/inventory/products?limit=-1', 'limit', 'limit: must be a non-negative integer'],
    ['/api/inventory/products?low_stock=yes', 'low_stock', 'low_stock: Invalid option: expected one of "true"|"false"'],
    ['/api/inventory/products?page=2', 'page', 'page: not a known parameter'],
    ['/api/orders/orders?status=lost', 'status', expect.stringMatching(/^status: Invalid option/)],
    ['/api/orders/orders?created_from=yesterday', 'created_from', expect.stringMatching(/^created_from: /)],
    ['/api/monitor/alerts?severity=loud', 'severity', expect.stringMatching(/^severity: Invalid option/)],
  ])('GET %s is 400 naming %s', async (path, field, message) => {
    const response = await api.get(path);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'BAD_USER_INPUT', message, field } });
  });

  test('malformed JSON is 400', async () => {
    const response = await api.request('POST', '/api/inventory/products', {
      raw: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'MALFORMED_JSON', message: expect.stringMatching(/^the body is not valid JSON: /) },
    });
  });

  test('a POST without a body is 400 naming the body', async () => {
    const response = await api.request('POST', '/api/inventory/products');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        code: 'BAD_USER_INPUT',
        message: 'body: a JSON object is required (Content-Type: application/json)',
        field: 'body',
      },
    });
  });

  test('a body that is not JSON is 415', async () => {
    const response = await api.request('POST', '/api/orders/orders', {
      raw: 'order_type=sell',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      error: {
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Content-Type must be application/json (got application/x-www-form-urlencoded)',
      },
    });
  });

  test('a body over 100 kB is 413', async () => {
    const response = await api.post('/api/inventory/products', {
      name: 'x'.repeat(200_000),
      price: 1,
      stock_quantity: 1,
    });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the body is larger than 100kb' } });
  });
});

describe('outside the routes', () => {
  test('an unknown path is 404 pointing at the docs', async () => {
    const response = await fetch(`${baseUrl}/api/inventory/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'no endpoint GET /api/inventory/nothing; the API is described at /api/docs',
      },
    });
  });

  test('a known path with another method is 405 with Allow', async () => {
    const response = await fetch(`${baseUrl}/api/inventory/products`, { method: 'PATCH' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(await response.json()).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: 'PATCH is not allowed on /api/inventory/products; use GET or POST',
      },
    });
  });

  test('/api/docs is a page listing every endpoint of the document', async () => {
    const response = await fetch(`${baseUrl}/api/docs`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    for (const [path, methods] of Object.entries(api.document.paths)) {
      for (const method of Object.keys(methods))
        expect(page).toContain(`<code>${method.toUpperCase()} /api${path}</code>`);
    }
  });
});
