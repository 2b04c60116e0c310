import { snakeCaseKeys } from '../gateway/src/rest/case';
import { restClient, type RestClient } from './support/rest-client';
import { startTestSystem, type TestSystem } from './support/test-system';

let system: TestSystem;
let api: RestClient;

beforeAll(async () => {
  system = await startTestSystem();
  api = await restClient(system.gatewayUrl);
});

afterAll(async () => {
  await system?.close();
});

const productFields = 'id name description price stockQuantity minStockLevel isLowStock stockLevel createdAt updatedAt';
const movementFields = `id product { ${productFields} } quantityChange balanceAfter movementType referenceId notes createdAt`;

/** What GraphQL answers for the same data, in the REST shim's snake_case. */
async function viaGraphQL(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await system.graphql(query, variables);
  expect(errors).toBeUndefined();
  return snakeCaseKeys(data);
}

const graphqlProduct = async (id: string) =>
  (await viaGraphQL(`query ($id: ID!) { product(id: $id) { ${productFields} } }`, { id })).product;

async function createProduct(body: Record<string, unknown>) {
  const response = await api.post('/api/inventory/products', {
    description: 'made by a test',
    price: 10,
    min_stock_level: 2,
    ...body,
  });
  expect(response.status).toBe(201);
  return response.body;
}

describe('POST /api/inventory/products', () => {
  test('creates the product and answers 201 with what GraphQL then returns for it', async () => {
    const response = await api.post('/api/inventory/products', {
      name: 'Lamp',
      description: 'desk lamp',
      price: '19.90',
      stock_quantity: 4,
      min_stock_level: 1,
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual(await graphqlProduct(response.body.id));
    expect(response.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      name: 'Lamp',
      description: 'desk lamp',
      price: '19.90',
      stock_quantity: 4,
      min_stock_level: 1,
      is_low_stock: false,
      stock_level: 'OK',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  test.each([
    ['an empty name', { name: ' ', price: 1, stock_quantity: 1 }, 'name', 'name: must not be empty'],
    ['a negative price', { name: 'x', price: -1, stock_quantity: 1 }, 'price', 'price: must not be negative'],
    [
      'a price with 3 decimals',
      { name: 'x', price: 9.999, stock_quantity: 1 },
      'price',
      'price: Decimal must be a number with at most 12 integer digits and 2 decimals',
    ],
    [
      'a negative stock',
      { name: 'x', price: 1, stock_quantity: -1 },
      'stock_quantity',
      'stock_quantity: must not be negative',
    ],
    [
      'a fractional stock',
      { name: 'x', price: 1, stock_quantity: 1.5 },
      'stock_quantity',
      'stock_quantity: Invalid input: expected int, received number',
    ],
  ])('refuses %s with 422 naming the field, and creates nothing', async (_case, body, field, message) => {
    const before = (await api.get('/api/inventory/products')).body.total;
    const response = await api.post('/api/inventory/products', body);
    expect({ status: response.status, body: response.body }).toEqual({
      status: 422,
      body: { error: { code: 'BAD_USER_INPUT', field, message } },
    });
    expect((await api.get('/api/inventory/products')).body.total).toBe(before);
  });
});

describe('GET /api/inventory/products and /products/{id}', () => {
  test("a product answers as GraphQL's product(id); an unknown one is 404", async () => {
    const { id } = await createProduct({ name: 'Chair', stock_quantity: 3 });
    expect((await api.get(`/api/inventory/products/${id}`)).body).toEqual(await graphqlProduct(id));
    const missing = await api.get('/api/inventory/products/999999');
    expect({ status: missing.status, body: missing.body }).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Product 999999 not found' } },
    });
  });

  test("the list with filters and paging answers as GraphQL's products and productCount", async () => {
    await createProduct({ name: 'Filter Pen Red', stock_quantity: 1 });
    await createProduct({ name: 'Filter Pen Blue', stock_quantity: 50 });
    await createProduct({ name: 'Filter Pen Black', stock_quantity: 0 });
    const response = await api.get('/api/inventory/products?search=filter%20pen&low_stock=true&limit=1&offset=1');
    const expected = await viaGraphQL(
      `query ($filter: ProductFilter) { products(filter: $filter, limit: 1, offset: 1) { ${productFields} } productCount(filter: $filter) }`,
      { filter: { search: 'filter pen', lowStock: true } },
    );
    expect(response.body).toEqual({ items: expected.products, total: 2, limit: 1, offset: 1 });
    expect(expected.product_count).toBe(2);
    expect(response.body.items.map((product: { name: string }) => product.name)).toEqual(['Filter Pen Black']);
  });

  test("the whole list, unfiltered, answers as GraphQL's products", async () => {
    await createProduct({ name: 'Another', stock_quantity: 9 });
    const expected = await viaGraphQL(`{ products { ${productFields} } productCount }`);
    expect((await api.get('/api/inventory/products')).body).toEqual({
      items: expected.products,
      total: expected.product_count,
      limit: 100,
      offset: 0,
    });
  });

  test("/products/low-stock answers the products of GraphQL's lowStockProducts, and is not taken for a product id", async () => {
    await createProduct({ name: 'Nearly gone', stock_quantity: 1, min_stock_level: 5 });
    const expected = await viaGraphQL(`{ lowStockProducts { ${productFields} } }`);
    const response = await api.get('/api/inventory/products/low-stock');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: expected.low_stock_products,
      total: expected.low_stock_products.length,
      limit: 100,
      offset: 0,
    });
    expect(response.body.items.length).toBeGreaterThan(0);
  });

  test.each([
    ['/api/inventory/products/abc', 'id'],
    ['/api/inventory/products?limit=ten', 'limit'],
    ['/api/inventory/products?low_stock=maybe', 'low_stock'],
    ['/api/inventory/products?colour=red', 'colour'],
    ['/api/inventory/products/1/movements?offset=-2', 'offset'],
  ])('GET %s is 400 naming %s', async (path, field) => {
    const response = await api.get(path);
    expect({ status: response.status, code: response.body.error.code, field: response.body.error.field }).toEqual({
      status: 400,
      code: 'BAD_USER_INPUT',
      field,
    });
  });
});

describe('PUT /api/inventory/products/{id}', () => {
  test('changes only the fields given and answers as GraphQL then does', async () => {
    const created = await createProduct({ name: 'Desk', stock_quantity: 10 });
    const response = await api.put(`/api/inventory/products/${created.id}`, { price: 250.5, min_stock_level: 12 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(await graphqlProduct(created.id));
    expect(response.body).toEqual({
      ...created,
      price: '250.50',
      min_stock_level: 12,
      is_low_stock: true,
      stock_level: 'LOW',
      updated_at: response.body.updated_at,
    });
  });

  test('refuses an unknown product (404), a bad value (422) and a stock change (422)', async () => {
    const { id } = await createProduct({ name: 'Shelf', stock_quantity: 1 });
    const answers = await Promise.all([
      api.put('/api/inventory/products/999999', { name: 'x' }),
      api.put(`/api/inventory/products/${id}`, { price: -3 }),
      api.put(`/api/inventory/products/${id}`, { stock_quantity: 5 }),
    ]);
    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual([
      { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Product 999999 not found' } } },
      {
        status: 422,
        body: { error: { code: 'BAD_USER_INPUT', field: 'price', message: 'price: must not be negative' } },
      },
      {
        status: 422,
        body: {
          error: {
            code: 'BAD_USER_INPUT',
            field: 'stock_quantity',
            message:
              'stock_quantity: stock changes go through POST /api/inventory/products/{id}/stock, which records the movement',
          },
        },
      },
    ]);
    expect((await api.get(`/api/inventory/products/${id}`)).body.price).toBe('10.00');
  });
});

describe('POST /api/inventory/products/{id}/stock and GET …/movements', () => {
  test("a sale takes stock, answers 201 with the movement, and the ledger answers as GraphQL's movements", async () => {
    const { id } = await createProduct({ name: 'Mug', stock_quantity: 20 });
    const response = await api.post(`/api/inventory/products/${id}/stock`, {
      quantity_change: -5,
      movement_type: 'sale',
      reference_id: 'ORDER-123',
      notes: 'Venta',
    });
    expect(response.status).toBe(201);
    expect(response.body).toEqual(
      expect.objectContaining({
        quantity_change: -5,
        balance_after: 15,
        movement_type: 'SALE',
        reference_id: 'ORDER-123',
        notes: 'Venta',
      }),
    );
    expect(response.body.product).toEqual(await graphqlProduct(id));
    await api.post(`/api/inventory/products/${id}/stock`, { quantity_change: 3 });

    const ledger = await api.get(`/api/inventory/products/${id}/movements`);
    const expected = await viaGraphQL(
      `query ($id: ID!) { product(id: $id) { movements { ${movementFields} } movementCount } }`,
      { id },
    );
    expect(ledger.body).toEqual({ items: expected.product.movements, total: 3, limit: 50, offset: 0 });
    expect(
      ledger.body.items.map((movement: { quantity_change: number; movement_type: string }) => [
        movement.quantity_change,
        movement.movement_type,
      ]),
    ).toEqual([
      [3, 'ADJUSTMENT'],
      [-5, 'SALE'],
      [20, 'INITIAL'],
    ]);
    expect((await api.get(`/api/inventory/products/${id}/movements?limit=1&offset=1`)).body).toEqual({
      items: [expected.product.movements[1]],
      total: 3,
      limit: 1,
      offset: 1,
    });
  });

  test('taking more than there is answers 409 and changes nothing', async () => {
    const { id } = await createProduct({ name: 'Rare', stock_quantity: 2 });
    const response = await api.post(`/api/inventory/products/${id}/stock`, {
      quantity_change: -3,
      movement_type: 'sale',
    });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: `product ${id} has 2 in stock; cannot take 3` } },
    });
    expect((await api.get(`/api/inventory/products/${id}`)).body.stock_quantity).toBe(2);
  });

  test.each([
    [{ quantity_change: 0 }, 'quantity_change', 'quantity_change: must not be zero'],
    [
      { quantity_change: 1, movement_type: 'initial' },
      'movement_type',
      'movement_type: INITIAL is reserved for product creation',
    ],
    [
      { quantity_change: 1, movement_type: 'gift' },
      'movement_type',
      expect.stringMatching(/^movement_type: Invalid option/),
    ],
    [{ movement_type: 'sale' }, 'quantity_change', 'quantity_change: required'],
  ])('refuses %j with 422 naming %s', async (body, field, message) => {
    const { id } = await createProduct({ name: 'Any', stock_quantity: 5 });
    const response = await api.post(`/api/inventory/products/${id}/stock`, body);
    expect({ status: response.status, body: response.body }).toEqual({
      status: 422,
      body: { error: { code: 'BAD_USER_INPUT', field, message } },
    });
  });

  test('an unknown product is 404 for a stock change and for its ledger', async () => {
    const answers = await Promise.all([
      api.post('/api/inventory/products/999999/stock', { quantity_change: 1 }),
      api.get('/api/inventory/products/999999/movements'),
    ]);
    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual([
      { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Product 999999 not found' } } },
      { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Product 999999 not found' } } },
    ]);
  });
});

describe('GET /api/inventory/health', () => {
  test('is 200 while inventory answers and 503 when it is down', async () => {
    const up = await api.get('/api/inventory/health');
    expect(up.body).toEqual({
      status: 'healthy',
      service: 'inventory',
      response_time_ms: expect.any(Number),
      checked_at: expect.any(String),
    });
    await system.stop('inventory');
    try {
      const down = await api.get('/api/inventory/health');
      expect({ status: down.status, body: down.body }).toEqual({
        status: 503,
        body: {
          error: {
            code: 'SERVICE_UNAVAILABLE',
            message: 'inventory is not healthy: the inventory service is unavailable; try again shortly',
          },
        },
      });
    } finally {
      await system.start('inventory');
    }
    expect((await api.get('/api/inventory/health')).status).toBe(200);
  });
});

describe('HTTP-level mistakes, through the real gateway', () => {
  test('malformed JSON is 400, a non-JSON body 415, a body over 100 kB 413, a missing body 400; nothing is created', async () => {
    const before = (await api.get('/api/inventory/products')).body.total;
    const answers = [
      await api.request('POST', '/api/inventory/products', {
        raw: '{"name": "x",',
        headers: { 'content-type': 'application/json' },
      }),
      await api.request('POST', '/api/inventory/products', {
        raw: 'name=x&price=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      await api.post('/api/inventory/products', { name: 'x'.repeat(150_000), price: 1, stock_quantity: 1 }),
      await api.request('POST', '/api/inventory/products'),
    ];
    expect(answers.map(({ status, body }) => [status, body.error.code])).toEqual([
      [400, 'MALFORMED_JSON'],
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [400, 'BAD_USER_INPUT'],
    ]);
    expect((await api.get('/api/inventory/products')).body.total).toBe(before);
  });

  test('the OpenAPI document and the docs page are served', async () => {
    const document = (await (await fetch(`${system.gatewayUrl}/api/openapi.json`)).json()) as typeof api.document;
    expect(document).toEqual(api.document);
    expect(Object.keys(document.paths)).toContain('/inventory/products/low-stock');
    const page = await fetch(`${system.gatewayUrl}/api/docs`);
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
  });
});
