import { Client } from 'pg';
import { fixtures } from './support/fixtures';
import { startRecordedGateway } from './support/recorded-gateway';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { clientPool, subscribe } from './support/ws-client';

/**
 * The gateway answers repeated queries from its cache, and never from data older than what it has
 * told a client: an event it delivered, or a mutation it answered.
 */
let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const clients = clientPool(() => system.gatewayUrl);

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterEach(() => clients.disposeAll());

afterAll(async () => {
  await system?.close();
});

/** A query over HTTP, with whether the gateway answered it from its cache. */
async function query<T>(source: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${system.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: source, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { data: body.data, cached: response.headers.get('x-cache') === 'hit' };
}

const stockOf = (id: string) =>
  query<{ product: { stockQuantity: number } }>('query ($id: ID!) { product(id: $id) { stockQuantity } }', { id });

/** Once the product's creation event has reached the gateway, its stock stays cached until the next change. */
const cachedStock = (id: string) =>
  waitFor(async () => (await stockOf(id)).cached, 10_000, 'the stock to be answered from the cache');

test('a repeated query is answered from the cache, and a mutation through the gateway is read back at once', async () => {
  const productId = await f.createProduct({ name: 'Cached kettle', stockQuantity: 40 });
  await cachedStock(productId);
  expect(await stockOf(productId)).toEqual({ data: { product: { stockQuantity: 40 } }, cached: true });

  const { errors } = await system.graphql(
    'mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: -3 }) { id } }',
    { id: productId },
  );
  expect(errors).toBeUndefined();
  expect(await stockOf(productId)).toEqual({ data: { product: { stockQuantity: 37 } }, cached: false });

  // The REST shim runs the same operations through the same cache.
  const rest = await fetch(`${system.gatewayUrl}/api/inventory/products/${productId}`);
  expect(((await rest.json()) as { stock_quantity: number }).stock_quantity).toBe(37);
});

test('a read right after a stock-changed event never returns a stock older than that event', async () => {
  const productId = await f.createProduct({ name: 'Raced teapot', stockQuantity: 500 });
  const events = subscribe(
    clients.open(),
    'subscription ($id: ID) { stockChanged(productId: $id) { stockQuantity stockVersion } }',
    { id: productId },
  );
  // Cache the stock before any order, and keep it cached while the orders are being decided.
  await cachedStock(productId);
  // Subscribing is asynchronous: the first movement below also proves the subscription is live.
  const orders = 40;
  const created = Promise.all(
    Array.from({ length: orders }, () => f.createOrder('SELL', [{ productId, quantity: 1 }])),
  );
  let cachedReads = 0;
  for (let seen = 0; seen < orders; seen += 1) {
    const event = (await events.next(30_000)).data!.stockChanged as { stockQuantity: number };
    // Stock only goes down in this run: a read may be newer than the event, never older.
    const read = await stockOf(productId);
    expect(read.data.product.stockQuantity).toBeLessThanOrEqual(event.stockQuantity);
    const again = await stockOf(productId);
    expect(again.data.product.stockQuantity).toBeLessThanOrEqual(event.stockQuantity);
    if (again.cached) cachedReads += 1;
  }
  await created;
  expect((await stockOf(productId)).data.product.stockQuantity).toBe(500 - orders);
  // Between two events the cache answered: the test would prove nothing if it never did.
  expect(cachedReads).toBeGreaterThan(0);
});

test('an order status change seen by a subscriber is followed by fresh order and stock reads', async () => {
  const productId = await f.createProduct({ name: 'Watched mug', stockQuantity: 10 });
  const statuses = subscribe(clients.open(), 'subscription { orderStatusChanged { orderId to } }');
  const orderQuery = 'query ($id: ID!) { order(id: $id) { status items { product { stockQuantity } } } }';
  await stockOf(productId);
  // A probe order proves the subscription is live before the measured one starts.
  const probe = await f.createOrder('BUY', [{ productId, quantity: 1, unitPrice: '1.00' }]);
  for (;;) {
    const { orderId, to } = (await statuses.next(30_000)).data!.orderStatusChanged as { orderId: string; to: string };
    if (orderId === probe && to !== 'PENDING') break;
  }
  const stockBefore = (await stockOf(productId)).data.product.stockQuantity;
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 4 }]);
  // Cached while the order is being decided (whatever it said then).
  await query(orderQuery, { id: orderId });
  for (;;) {
    const event = (await statuses.next(30_000)).data!.orderStatusChanged as { orderId: string; to: string };
    if (event.orderId !== orderId || event.to === 'PENDING') continue;
    expect(event.to).toBe('CONFIRMED');
    break;
  }
  const after = await query<{ order: { status: string; items: { product: { stockQuantity: number } }[] } }>(
    orderQuery,
    { id: orderId },
  );
  expect(after.data.order).toEqual({ status: 'CONFIRMED', items: [{ product: { stockQuantity: stockBefore - 4 } }] });
  expect((await stockOf(productId)).data.product.stockQuantity).toBe(stockBefore - 4);
});

test("the monitor's figures are never answered from the cache", async () => {
  const health = '{ servicesHealth { status } }';
  await query(health);
  expect((await query(health)).cached).toBe(false);
});

test('Cache-Control: no-cache asks the subgraphs, over GraphQL and REST, for a change no event announced', async () => {
  const productId = await f.createProduct({ name: 'Renamed in the database', stockQuantity: 5 });
  const nameQuery = 'query ($id: ID!) { product(id: $id) { name } }';
  await waitFor(async () => (await query(nameQuery, { id: productId })).cached, 10_000, 'the name to be cached');
  // A change behind the gateway's back (no event, no mutation through it): only the TTL bounds it.
  const database = new Client({ connectionString: system.config.DATABASE_URL });
  await database.connect();
  try {
    await database.query('UPDATE inventory.products SET name = $1 WHERE id = $2', ['New name', Number(productId)]);
  } finally {
    await database.end();
  }
  expect(await query(nameQuery, { id: productId })).toEqual({
    data: { product: { name: 'Renamed in the database' } },
    cached: true,
  });
  expect(await query(nameQuery, { id: productId }, { 'cache-control': 'no-cache' })).toEqual({
    data: { product: { name: 'New name' } },
    cached: false,
  });
  // The fresh answer replaced the kept one.
  expect(await query(nameQuery, { id: productId })).toEqual({ data: { product: { name: 'New name' } }, cached: true });
  const rest = await fetch(`${system.gatewayUrl}/api/inventory/products/${productId}`, {
    headers: { 'cache-control': 'no-cache' },
  });
  expect(((await rest.json()) as { name: string }).name).toBe('New name');
});

test('identical queries arriving while one is being answered wait for that answer instead of all asking the subgraph', async () => {
  // A stand-in subgraph that takes 300 ms: every request below arrives while the first is in flight.
  const recorded = await startRecordedGateway({}, 300);
  try {
    const ask = () =>
      fetch(`${recorded.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ productCount }' }),
      }).then((response) => response.json());
    const answers = await Promise.all(Array.from({ length: 30 }, ask));
    expect(answers).toEqual(Array.from({ length: 30 }, () => ({ data: { productCount: 3 } })));
    expect(recorded.subgraphCalls()).toBe(1);
  } finally {
    await recorded.close();
  }
});
