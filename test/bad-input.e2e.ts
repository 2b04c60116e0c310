import { gzipSync } from 'node:zlib';
import { hopHeader, signHop } from '@io/auth/hop';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { subscribe, wsClient } from './support/ws-client';

/**
 * Bad input from outside gets a coded 4xx and a clean answer: never a 500, never internals (issue 9).
 */
let system: TestSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

type Answer = Awaited<ReturnType<TestSystem['graphql']>>;
const codes = (answer: Answer) => answer.errors?.map((error) => error.extensions?.code);
const expectRefused = (answer: Answer) => {
  expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
  expect(JSON.stringify(answer)).not.toMatch(/stacktrace|node_modules|\.ts:\d|Prisma/);
};

test('a NUL character in a search, a name, a description, notes or a customer name is BAD_USER_INPUT, not a 500', async () => {
  const productId = await f.createProduct({ stockQuantity: 5 });
  const nul = 'bad\u0000text';
  const answers = await Promise.all([
    system.graphql('query ($search: String) { products(filter: { search: $search }) { id } }', { search: nul }),
    system.graphql('{ products(filter: { search: "bad\\u0000text" }) { id } }'),
    system.graphql('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { name: nul, price: '1.00', stockQuantity: 1 },
    }),
    system.graphql('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { name: 'fine', description: nul, price: '1.00', stockQuantity: 1 },
    }),
    system.graphql(
      'mutation ($id: ID!, $input: AdjustStockInput!) { adjustStock(productId: $id, input: $input) { id } }',
      {
        id: productId,
        input: { quantityChange: 1, notes: nul },
      },
    ),
    system.graphql('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
      input: {
        orderType: 'BUY',
        customerName: nul,
        customerEmail: 'a@example.com',
        items: [{ productId, quantity: 1, unitPrice: '1.00' }],
      },
    }),
  ]);
  answers.forEach(expectRefused);
  const rest = await fetch(`${system.gatewayUrl}/api/inventory/products?search=bad%00text`);
  expect(rest.status).toBeGreaterThanOrEqual(400);
  expect(rest.status).toBeLessThan(500);
});

test('a date outside what PostgreSQL stores, in createdFrom or since, is BAD_USER_INPUT', async () => {
  const answers = await Promise.all([
    system.graphql('query ($from: DateTime) { orders(filter: { createdFrom: $from }) { id } }', {
      from: '+275760-09-13T00:00:00Z',
    }),
    system.graphql(
      'query ($since: DateTime) { serviceHealthHistory(service: "inventory", since: $since) { status } }',
      {
        since: '+010000-01-01T00:00:00Z',
      },
    ),
  ]);
  answers.forEach(expectRefused);
  // Written into the query, the same date fails validation, as any literal its type refuses.
  const literal = await system.graphql('{ orders(filter: { createdFrom: "-000001-01-01T00:00:00Z" }) { id } }');
  expect(literal.errors).toMatchObject([
    {
      message: expect.stringMatching(/between 0001-01-01 and 9999-12-31/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ]);
});

test('% and _ in a search match themselves, not any text', async () => {
  const plain = await f.createProduct({ name: 'Plain widget', stockQuantity: 1 });
  const underscored = await f.createProduct({ name: 'Snake_case widget', stockQuantity: 1 });
  const percent = await f.createProduct({ name: '100% widget', stockQuantity: 1 });
  const search = async (text: string) =>
    (
      await system.graphql<{ products: { id: string }[] }>(
        'query ($search: String) { products(filter: { search: $search }, limit: 500) { id } }',
        { search: text },
      )
    ).data!.products.map((product) => product.id);

  expect(await search('_')).toEqual([underscored]);
  expect(await search('%')).toEqual([percent]);
  expect(await search('e_c')).toEqual([underscored]);
  expect(await search('plain WIDGET')).toEqual([plain]);
});

test('a customer email filter is an exact (case-insensitive) match: % and _ are not wildcards', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const order = async (email: string) =>
    (
      await system.graphql<{ createOrder: { id: string } }>(
        'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
        {
          input: {
            orderType: 'BUY',
            customerName: 'Ana',
            customerEmail: email,
            items: [{ productId, quantity: 1, unitPrice: '1.00' }],
          },
        },
      )
    ).data!.createOrder.id;
  const ana = await order('ana_lopez@example.com');
  await order('anaxlopez@example.com');
  const byEmail = async (email: string) =>
    (
      await system.graphql<{ orders: { id: string }[] }>(
        'query ($email: String) { orders(filter: { customerEmail: $email }) { id } }',
        { email },
      )
    ).data!.orders.map((found) => found.id);

  expect(await byEmail('ANA_LOPEZ@example.com')).toEqual([ana]);
  expect(await byEmail('%')).toEqual([]);
  expect(await byEmail('ana%')).toEqual([]);
});

test.each(['0x10', '1e1', ' 1 ', '1.0', '01', '-1'])(
  'the id %p is refused with BAD_USER_INPUT, not read as a number',
  async (id) => {
    const answers = await Promise.all([
      system.graphql('query ($id: ID!) { product(id: $id) { id } }', { id }),
      system.graphql('query ($id: ID!) { order(id: $id) { id } }', { id }),
      system.graphql('mutation ($id: ID!) { acknowledgeAlert(id: $id) { id } }', { id }),
      system.graphql('mutation ($id: ID!) { replayDeadLetter(id: $id) { id } }', { id }),
    ]);
    answers.forEach(expectRefused);
  },
);

test('a subscription missing a required variable is refused when it subscribes, with BAD_USER_INPUT', async () => {
  const client = wsClient(system.gatewayUrl);
  try {
    const subscription = subscribe(client, 'subscription ($id: ID!) { orderStatusChanged(orderId: $id) { eventId } }');
    await subscription.completed;
    expect(subscription.received).toHaveLength(1);
    expect(subscription.received[0].errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  } finally {
    await client.dispose();
  }
});

test('quantities and stock past their limits (1,000,000 per order line, 2,000,000,000 in stock) are BAD_USER_INPUT (REST 422) and store nothing', async () => {
  const productId = await f.createProduct({ stockQuantity: 5 });
  const order = (quantity: number) =>
    system.graphql('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
      input: {
        orderType: 'BUY',
        customerName: 'Big buyer',
        customerEmail: 'big@example.com',
        items: [{ productId, quantity, unitPrice: '0' }],
      },
    });
  const product = (input: Record<string, unknown>) =>
    system.graphql('mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }', {
      input: { name: 'Too much', price: '1.00', stockQuantity: 1, ...input },
    });
  const adjust = (quantityChange: number) =>
    system.graphql(
      'mutation ($id: ID!, $input: AdjustStockInput!) { adjustStock(productId: $id, input: $input) { id } }',
      { id: productId, input: { quantityChange } },
    );
  const answers = await Promise.all([
    order(1_000_001),
    order(2_147_483_647),
    product({ stockQuantity: 2_000_000_001 }),
    product({ minStockLevel: 2_000_000_001 }),
    adjust(2_000_000_001),
    adjust(-2_147_483_648),
  ]);
  answers.forEach(expectRefused);
  expect(answers[0].errors![0].extensions).toMatchObject({ field: 'input.items.0.quantity' });

  const rest = await fetch(`${system.gatewayUrl}/api/orders/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      order_type: 'buy',
      customer_name: 'Big buyer',
      customer_email: 'big@example.com',
      items: [{ product_id: Number(productId), quantity: 1_000_001, unit_price: '0' }],
    }),
  });
  // The shim's convention for a body that parses but breaks a rule (see rest/errors.ts).
  expect(rest.status).toBe(422);
  expect(await rest.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'items.0.quantity' } });
  const [{ count }] = await f.sql<{ count: number }>(
    "SELECT count(*)::int AS count FROM orders.orders WHERE customer_name = 'Big buyer'",
  );
  expect(count).toBe(0);
  expect(await f.stockOf(productId)).toBe(5);
});

test('a subgraph answers malformed JSON, a bad gzip body and an oversized body with a coded 4xx JSON, no stack trace', async () => {
  const url = `${system.services.inventory.url}/graphql`;
  const cases: [string | Buffer, Record<string, string>, number, string][] = [
    ['{"query": ', {}, 400, 'MALFORMED_JSON'],
    ['not gzip', { 'content-encoding': 'gzip' }, 400, 'MALFORMED_BODY'],
    [
      gzipSync(JSON.stringify({ query: `{ productCount } #${'x'.repeat(1_100_000)}` })),
      { 'content-encoding': 'gzip' },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ];
  for (const [body, headers, status, code] of cases) {
    const response = await fetch(url, {
      method: 'POST',
      // Signed as the gateway signs: without it the subgraph refuses before reading the body (401).
      headers: {
        'content-type': 'application/json',
        [hopHeader]: signHop(system.config.SUBGRAPH_HOP_SECRET!, null, 60),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    expect(response.status).toBe(status);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
    expect(text).not.toMatch(/node_modules|\.ts:|\.js:|<html|at /i);
  }
});
