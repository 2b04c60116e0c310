import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mintToken } from '@io/auth/mint';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { loadConfig } from '@io/config';
import { launchService, waitForHealth } from '../scripts/launch';
import { stopProcess } from '../scripts/stop-process';
import { startOrder, subgraphNames, type ServiceName } from '@io/registry';
import { freePort } from './support/free-port';
import { brokerCredentials, grantAcls, serviceKafkaEnv } from './support/kafka-users';
import { createTestDatabase } from './support/test-database';
import type { GraphQLResponse } from './support/test-system';

/**
 * What `npm start` and the containers run: every registered service from dist/ (written by
 * `npm run build`, which `npm test` runs first), each a process of its own, as in production.
 */
const children: ChildProcess[] = [];
// Production refuses to start without auth and the hop secret.
const authSecret = randomBytes(32).toString('base64url');
const ports = {} as Record<ServiceName, number>;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const config = loadConfig();
  const admin = createKafka('test-admin', kafkaConnection(config), createLogger('test', 'silent')).admin();
  await admin.connect();
  const topics = await ensureTopics(admin, topicNamer(prefix));
  const credentials = brokerCredentials(config);
  const acls = await grantAcls(admin, prefix, credentials);
  cleanUp = async () => {
    await admin.deleteTopics({ topics });
    await acls.revoke();
    await admin.disconnect();
    await database.drop();
  };
  for (const entry of startOrder) ports[entry.name] = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: prefix,
    HEALTH_CHECK_INTERVAL_MS: '1000',
    AUTH_JWT_SECRET: authSecret,
    SUBGRAPH_HOP_SECRET: randomBytes(32).toString('base64url'),
    ...Object.fromEntries(startOrder.map((entry) => [entry.portVariable, String(ports[entry.name])])),
  };
  for (const entry of startOrder) {
    // Each its own Kafka user, as `npm start` launches them.
    const child = launchService(entry, { ...env, ...serviceKafkaEnv(credentials, entry.name) });
    children.push(child);
    await waitForHealth(`http://127.0.0.1:${ports[entry.name]}${entry.healthPath}`, child);
  }
}, 120_000);

afterAll(async () => {
  for (const child of [...children].reverse()) await stopProcess(child, 10_000);
  await cleanUp?.();
});

const gateway = () => `http://127.0.0.1:${ports.gateway}`;

async function graphql(query: string): Promise<GraphQLResponse> {
  const response = await fetch(`${gateway()}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await mintToken({ secret: authSecret, role: 'admin' })}`,
    },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as GraphQLResponse;
}

test('compiled, the gateway federates the subgraphs, each reading its database through its generated Prisma client', async () => {
  const created = await graphql(
    'mutation { createProduct(input: {name: "Compiled", price: "2.50", stockQuantity: 4, minStockLevel: 1}) { id } }',
  );
  const id = created.data?.createProduct.id;

  // No order is ever rejected here (SERVICE_DOWN may be raised while the gateway starts, so not every alert type).
  const read = await graphql(`{
    product(id: "${id}") { name stockQuantity pendingOrderCount }
    alerts(filter: {alertType: ORDER_REJECTED}) { id }
  }`);

  expect(read).toEqual({ data: { product: { name: 'Compiled', stockQuantity: 4, pendingOrderCount: 0 }, alerts: [] } });
});

test("compiled, the gateway serves the dashboard's static files and reports every subgraph healthy", async () => {
  const page = await fetch(`${gateway()}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>Inventory &amp; Orders · Operations</title>');
  expect((await fetch(`${gateway()}/dashboard/dashboard.js`)).status).toBe(200);
  // The charts' bundle is a build output (dist/bundles), served like the page's own files.
  expect((await fetch(`${gateway()}/dashboard/vendor/charts/charts.js`)).status).toBe(200);

  const health = await (await fetch(`${gateway()}/health`)).json();
  expect(health).toEqual({
    status: 'healthy',
    service: 'gateway',
    restarts: 0,
    subgraphs: Object.fromEntries(subgraphNames.map((name) => [name, 'healthy'])),
  });
});

test('compiled, in production, the gateway and a subgraph refuse to start without auth and the hop secret', async () => {
  const exitOf = async (name: ServiceName, env: Record<string, string>) => {
    const entry = startOrder.find((candidate) => candidate.name === name)!;
    const child = launchService(entry, {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      [entry.portVariable]: '0',
      ...env,
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, output };
  };
  const noAuth = await exitOf('gateway', { SUBGRAPH_HOP_SECRET: randomBytes(32).toString('base64url') });
  expect(noAuth.code).toBe(1);
  expect(noAuth.output).toContain('NODE_ENV=production needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_JWKS_FILE');
  const noHop = await exitOf('orders', {});
  expect(noHop.code).toBe(1);
  expect(noHop.output).toContain('NODE_ENV=production needs SUBGRAPH_HOP_SECRET');
});
