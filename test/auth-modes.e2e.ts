import { randomBytes } from 'node:crypto';
import { developmentKey } from '@io/auth/development-key';
import { mintToken } from '@io/auth/mint';
import { startTestSystem, type TestSystem } from './support/test-system';
import { clientPool, subscribe } from './support/ws-client';

/**
 * Development mode (nothing configured, loopback): callers without a token are admin, a token is
 * judged by itself (signed with the development key `npm run token` uses), and the subgraph ports
 * are closed all the same. Production: introspection and Sandbox are off unless enabled.
 */
describe('development mode', () => {
  let system: TestSystem;
  const clients = clientPool(() => system.gatewayUrl);
  const createProduct = 'mutation { createProduct(input: { name: "Dev", price: "1.00", stockQuantity: 1 }) { id } }';

  beforeAll(async () => {
    system = await startTestSystem();
  }, 120_000);

  afterEach(() => clients.disposeAll());

  afterAll(async () => {
    await system?.close();
  });

  test('a caller without a token is admin, over HTTP and WebSocket', async () => {
    const { data, errors } = await system.graphql<{ createProduct: { id: string } }>(createProduct);
    expect(errors).toBeUndefined();
    const result = await subscribe(clients.open(), '{ alertCount orderStats { totalOrders } }').next();
    expect(result.errors).toBeUndefined();
    expect(data!.createProduct.id).toMatch(/^\d+$/);
  });

  test('a token is judged by itself: a viewer may read but not write, a customer sees their own orders only', async () => {
    const key = developmentKey();
    const viewer = await mintToken({ secret: key, role: 'viewer' });
    const refused = await system.graphql(createProduct, {}, viewer);
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await system.graphql('{ productCount orderCount alertCount }', {}, viewer)).errors).toBeUndefined();

    const productId = (await system.graphql<{ createProduct: { id: string } }>(createProduct)).data!.createProduct.id;
    const order = (email: string, token?: string) =>
      system.graphql<{ createOrder: { id: string } }>(
        `mutation { createOrder(input: { orderType: SELL, customerName: "C", customerEmail: "${email}", items: [{ productId: "${productId}", quantity: 1, unitPrice: "1.00" }] }) { id } }`,
        {},
        token,
      );
    const someoneElse = (await order('zoe@example.com')).data!.createOrder.id;
    const ana = await mintToken({ secret: key, email: 'ana@example.com' });
    const hers = (await order('whoever@example.com', ana)).data!.createOrder.id;
    const seen = await system.graphql<{ orders: { id: string; customerEmail: string }[] }>(
      '{ orders { id customerEmail } }',
      {},
      ana,
    );
    expect(seen.data!.orders).toEqual([{ id: hers, customerEmail: 'ana@example.com' }]);
    expect(await system.graphql(`{ order(id: "${someoneElse}") { id } }`, {}, ana)).toEqual({ data: { order: null } });
  });

  test('a token signed with another key is refused (401), not treated as the development caller', async () => {
    const stranger = await mintToken({ secret: 'z'.repeat(40), role: 'admin' });
    const response = await fetch(`${system.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stranger}` },
      body: JSON.stringify({ query: '{ productCount }' }),
    });
    expect(response.status).toBe(401);
  });

  test('the subgraph ports are closed in development mode too', async () => {
    const response = await fetch(`${system.services.inventory.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(401);
  });
});

describe('production mode', () => {
  const introspection = '{ __schema { queryType { name } } }';

  async function withSystem(overrides: Record<string, string>, check: (system: TestSystem) => Promise<void>) {
    const system = await startTestSystem({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
      ...overrides,
    });
    try {
      await check(system);
    } finally {
      await system.close();
    }
  }

  test('introspection, Apollo Sandbox and GraphiQL are off', async () => {
    await withSystem({}, async (system) => {
      const { errors } = await system.graphql(introspection);
      expect(errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const landing = await fetch(`${system.gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
      expect(await landing.text()).not.toMatch(/sandbox/i);
      expect((await fetch(`${system.gatewayUrl}/graphiql`)).status).toBe(404);
      expect((await fetch(`${system.gatewayUrl}/graphiql/assets/main.js`)).status).toBe(404);
    });
  }, 120_000);

  test('they can be enabled explicitly', async () => {
    await withSystem({ GRAPHQL_INTROSPECTION: 'true', GRAPHQL_SANDBOX: 'true' }, async (system) => {
      expect(await system.graphql(introspection)).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const landing = await fetch(`${system.gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
      expect(await landing.text()).toMatch(/sandbox/i);
      // GraphiQL follows Sandbox's setting.
      expect((await fetch(`${system.gatewayUrl}/graphiql`)).status).toBe(200);
    });
  }, 120_000);
});
