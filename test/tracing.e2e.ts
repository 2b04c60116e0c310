import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createKafka } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { startOrder, type ServiceName } from '@io/registry';
import { launchService, waitForHealth } from '../scripts/launch';
import { stopProcess } from '../scripts/stop-process';
import { freePort } from './support/free-port';
import { startOtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { createTestDatabase } from './support/test-database';
import type { GraphQLResponse } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * Every service from dist/ as a process of its own, as `npm start` runs them, with tracing on:
 * their spans go over OTLP/HTTP (JSON) to a receiver in this process, which keeps them.
 */
const children: ChildProcess[] = [];
const ports = {} as Record<ServiceName, number>;
const gatewayLog: Record<string, unknown>[] = [];
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const database = await createTestDatabase();
  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const admin = createKafka(
    'test-admin',
    (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    createLogger('test', 'silent'),
  ).admin();
  await admin.connect();
  const topics = await ensureTopics(admin, topicNamer(prefix));
  cleanUp = async () => {
    await admin.deleteTopics({ topics });
    await admin.disconnect();
    await database.drop();
  };
  for (const entry of startOrder) ports[entry.name] = await freePort();
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: prefix,
    HEALTH_CHECK_INTERVAL_MS: '1000',
    SUBGRAPH_HOP_SECRET: randomBytes(32).toString('base64url'),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ...Object.fromEntries(startOrder.map((entry) => [entry.portVariable, String(ports[entry.name])])),
  };
  for (const entry of startOrder) {
    // The gateway logs each event it receives for subscribers at debug level.
    const child = launchService(entry, entry.name === 'gateway' ? { ...env, LOG_LEVEL: 'debug' } : env);
    children.push(child);
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      if (entry.name === 'gateway') for (const line of lines) if (line.startsWith('{')) gatewayLog.push(JSON.parse(line));
    });
    child.stderr!.resume();
    await waitForHealth(`http://127.0.0.1:${ports[entry.name]}${entry.healthPath}`, child);
  }
}, 180_000);

afterAll(async () => {
  for (const child of [...children].reverse()) await stopProcess(child, 10_000);
  await cleanUp?.();
  await receiver?.close();
});

async function graphql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

test('dump', async () => {
  const product = await graphql<{ createProduct: { id: string } }>(
    `mutation { createProduct(input: {name: "Traced widget", price: "9.99", stockQuantity: 5, minStockLevel: 1}) { id } }`,
  );
  const productId = product.data!.createProduct.id;
  const order = await graphql<{ createOrder: { id: string } }>(
    `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
    {
      input: {
        orderType: 'SELL',
        customerName: 'Ana',
        customerEmail: 'ana@example.com',
        items: [{ productId, quantity: 2, unitPrice: '9.99' }],
      },
    },
  );
  const orderId = order.data!.createOrder.id;
  await waitFor(() => receiver.spans.some((span) => span.name === 'order-status-changed receive'), 30_000).catch(() =>
    console.log('TIMEOUT'),
  );
  await new Promise((r) => setTimeout(r, 1000));
  const created = receiver.spans.find((s) => s.name === 'order-created publish' && s.attributes['messaging.kafka.message.key'] === orderId);
  const traceId = created?.traceId;
  console.log(
    orderId,
    receiver.spans
      .filter((s) => s.traceId === traceId)
      .map((s: ReceivedSpan) => [s.service, s.spanId, s.parentSpanId, s.kind, s.name, s.scope, s.links.length].join(' '))
      .join('\n'),
  );
  console.log(gatewayLog.filter((l) => l.trace_id).slice(0, 3));
});
