import { randomUUID } from 'node:crypto';
import { eventId } from '@io/db/idempotency';
import { fixtures } from './support/fixtures';
import { restClient, type RestClient } from './support/rest-client';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * Idempotent mutations: createOrder, cancelOrder and adjustStock with an idempotency key
 * (GraphQL argument, REST Idempotency-Key header) apply once however often they are retried.
 */
let system: TestSystem;
let api: RestClient;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startTestSystem();
  api = await restClient(system.gatewayUrl);
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

const createOrder = `mutation ($input: CreateOrderInput!, $key: String) {
  createOrder(input: $input, idempotencyKey: $key) { id status customerName }
}`;

const orderInput = (productId: string, customerName: string, quantity = 1) => ({
  orderType: 'SELL',
  customerName,
  customerEmail: 'retry@example.com',
  items: [{ productId, quantity, unitPrice: '10.00' }],
});

const ordersOf = (customerName: string) =>
  f.sql<{ id: number }>('SELECT id FROM orders.orders WHERE customer_name = $1 ORDER BY id', [customerName]);

test('createOrder retried with the same key and input returns the first order, and the order, its event and its stock effect exist once', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const key = randomUUID();
  const input = orderInput(productId, 'Retry Ana', 3);

  const first = await system.graphql<{ createOrder: { id: string } }>(createOrder, { input, key });
  expect(first.errors).toBeUndefined();
  const orderId = first.data!.createOrder.id;
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  // Retried after it was processed: the same order, as it is now; nothing new.
  const retry = await system.graphql(createOrder, { input: { ...input }, key });
  expect(retry).toEqual({ data: { createOrder: { id: orderId, status: 'CONFIRMED', customerName: 'Retry Ana' } } });

  expect(await ordersOf('Retry Ana')).toEqual([{ id: Number(orderId) }]);
  expect(await f.stockOf(productId)).toBe(7);
  // The order-created event's id is derived from the key: a retry could only ever produce this same event.
  const events = await f.sql<{ id: string }>(
    `SELECT id::text FROM orders.outbox_events WHERE topic = 'order-created' AND payload->'data'->>'orderId' = $1`,
    [orderId],
  );
  expect(events).toEqual([{ id: eventId({ caller: 'development', key, fingerprint: '' }, 'OrderCreated') }]);
});

test('the same key with another input is a CONFLICT and creates nothing', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const key = randomUUID();
  const first = await system.graphql(createOrder, { input: orderInput(productId, 'Reuse Bo', 1), key });
  expect(first.errors).toBeUndefined();

  const other = await system.graphql(createOrder, { input: orderInput(productId, 'Reuse Bo', 2), key });
  expect(other.data).toBeNull();
  expect(other.errors?.[0]).toMatchObject({
    message: `idempotency key ${key} was already used for another request`,
    extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' },
  });
  expect(await ordersOf('Reuse Bo')).toHaveLength(1);
});

test('concurrent requests with one key create one order, and every one of them answers it', async () => {
  const productId = await f.createProduct({ stockQuantity: 100 });
  const key = randomUUID();
  const input = orderInput(productId, 'Racing Cy');
  const answers = await Promise.all(
    Array.from({ length: 12 }, () => system.graphql<{ createOrder: { id: string } }>(createOrder, { input, key })),
  );
  expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
  const ids = new Set(answers.map((answer) => answer.data!.createOrder.id));
  expect(ids.size).toBe(1);
  expect(await ordersOf('Racing Cy')).toEqual([{ id: Number([...ids][0]) }]);
});

test('a key that is empty, too long or has spaces is BAD_USER_INPUT, and nothing is stored', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  for (const key of ['', 'k'.repeat(201), 'two words']) {
    const answer = await system.graphql(createOrder, { input: orderInput(productId, 'Bad Key Di'), key });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
  }
  expect(await ordersOf('Bad Key Di')).toEqual([]);
});

test('cancelOrder retried with its key answers the cancelled order instead of CONFLICT; the stock comes back once', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 4 }]);
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  const cancel = `mutation ($id: ID!, $key: String) { cancelOrder(id: $id, reason: "changed mind", idempotencyKey: $key) { id status } }`;
  const key = randomUUID();

  const first = await system.graphql(cancel, { id: orderId, key });
  const retry = await system.graphql(cancel, { id: orderId, key });
  expect([first, retry]).toEqual(Array(2).fill({ data: { cancelOrder: { id: orderId, status: 'CANCELLED' } } }));
  // Without the key a second cancellation is still refused: the key is what makes the retry safe.
  const unkeyed = await system.graphql(cancel, { id: orderId });
  expect(unkeyed.errors?.[0].extensions?.code).toBe('CONFLICT');

  await waitFor(async () => (await f.stockOf(productId)) === 10, 30_000, 'the stock to come back');
  const returns = await f.sql<{ count: number }>(
    `SELECT count(*)::int AS count FROM inventory.stock_movements WHERE product_id = $1 AND movement_type = 'RETURN'`,
    [Number(productId)],
  );
  expect(returns).toEqual([{ count: 1 }]);
});

test('adjustStock retried with its key returns the first movement and changes the stock once', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const adjust = `mutation ($id: ID!, $change: Int!, $key: String) {
    adjustStock(productId: $id, input: {quantityChange: $change}, idempotencyKey: $key) { id quantityChange }
  }`;
  const key = randomUUID();
  const first = await system.graphql<{ adjustStock: { id: string } }>(adjust, { id: productId, change: 5, key });
  const retry = await system.graphql(adjust, { id: productId, change: 5, key });
  expect(first.errors).toBeUndefined();
  expect(retry).toEqual(first);
  expect(await f.stockOf(productId)).toBe(15);

  const other = await system.graphql(adjust, { id: productId, change: 6, key });
  expect(other.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
  expect(await f.stockOf(productId)).toBe(15);
});

describe('REST: the Idempotency-Key header', () => {
  test('POST /api/orders/orders retried with the key answers 201 with the first order; another body with it is 409', async () => {
    const productId = await f.createProduct({ stockQuantity: 10 });
    const key = randomUUID();
    const body = {
      order_type: 'SELL',
      customer_name: 'Rest Eve',
      customer_email: 'eve@example.com',
      items: [{ product_id: Number(productId), quantity: 1, unit_price: '10.00' }],
    };
    const post = (json: unknown) =>
      api.request('POST', '/api/orders/orders', { json, headers: { 'idempotency-key': key } });

    const first = await post(body);
    const retry = await post(body);
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.body.id).toBe(first.body.id);
    const other = await post({ ...body, items: [{ ...body.items[0], quantity: 2 }] });
    expect({ status: other.status, body: other.body }).toEqual({
      status: 409,
      body: { error: { code: 'CONFLICT', message: `idempotency key ${key} was already used for another request` } },
    });
    expect(await ordersOf('Rest Eve')).toHaveLength(1);
  });

  test('the OpenAPI document describes the header on the three mutations that take it', async () => {
    const takesKey = Object.entries(api.document.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { parameters?: { name: string; in: string }[] }>)
        .filter(([, operation]) => operation.parameters?.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'))
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(takesKey.sort()).toEqual([
      'DELETE /orders/orders/{id}',
      'POST /inventory/products/{id}/stock',
      'POST /orders/orders',
    ]);
  });
});
