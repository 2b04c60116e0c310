import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
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
  const admin = createKafka('test-admin', kafkaConnection(loadConfig()), createLogger('test', 'silent')).admin();
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
      if (entry.name === 'gateway')
        for (const line of lines) if (line.startsWith('{')) gatewayLog.push(JSON.parse(line));
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

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const spanWhere = (what: string, match: (span: ReceivedSpan) => boolean) =>
  waitFor(() => receiver.spans.find(match), 30_000, what);

/** The span's parent, its parent's parent, ... up to the root, as `service name`. */
function ancestry(span: ReceivedSpan): string[] {
  const byId = new Map(receiver.spans.filter((s) => s.traceId === span.traceId).map((s) => [s.spanId, s]));
  const chain: string[] = [];
  for (let at = byId.get(span.parentSpanId ?? ''); at; at = byId.get(at.parentSpanId ?? ''))
    chain.push(`${at.service} ${at.name}`);
  return chain;
}

test("one trace follows an order: the client's request through the gateway's query plan into orders, across Kafka into inventory's transaction, back to orders and the gateway's subscription delivery", async () => {
  const product = await graphql<{ createProduct: { id: string } }>(`
    mutation {
      createProduct(input: { name: "Traced widget", price: "9.99", stockQuantity: 5, minStockLevel: 1 }) {
        id
      }
    }
  `);
  expect(product.errors).toBeUndefined();
  const productId = product.data!.createProduct.id;
  const order = await graphql<{ createOrder: { id: string } }>(
    `
      mutation ($input: CreateOrderInput!) {
        createOrder(input: $input) {
          id
        }
      }
    `,
    {
      input: {
        orderType: 'SELL',
        customerName: 'Ana',
        customerEmail: 'ana@example.com',
        items: [{ productId, quantity: 2, unitPrice: '9.99' }],
      },
    },
  );
  expect(order.errors).toBeUndefined();
  const orderId = order.data!.createOrder.id;

  // Orders wrote order-created in the mutation's trace, and the relay published it in that trace.
  const created = await spanWhere(
    'order-created publish',
    (span) =>
      span.service === 'orders' &&
      span.name === 'order-created publish' &&
      span.attributes['messaging.kafka.message.key'] === orderId,
  );
  expect(created.kind).toBe(PRODUCER);
  const traceId = created.traceId;
  const childOf = (parent: ReceivedSpan, service: string, name: string) =>
    spanWhere(
      `${service} ${name} under ${parent.service} ${parent.name}`,
      (span) =>
        span.traceId === traceId &&
        span.parentSpanId === parent.spanId &&
        span.service === service &&
        span.name === name,
    );
  // Each process exports its spans in its own batches: wait until the gateway's have arrived too.
  const upstream = await waitFor(
    () => {
      const chain = ancestry(created);
      return chain.at(-1) === 'gateway POST /graphql' && chain;
    },
    30_000,
    "the order's trace up to the gateway's request",
  );
  expect(upstream.at(-1)).toBe('gateway POST /graphql');
  const hops = [
    'orders graphql.resolve createOrder',
    'orders POST /graphql',
    'gateway POST',
    'gateway gateway.fetch',
    'gateway gateway.execute',
    'gateway gateway.request',
    'gateway POST /graphql',
  ];
  expect(upstream.filter((name) => hops.includes(name))).toEqual(hops);
  const root = receiver.spans.find((span) => span.traceId === traceId && !span.parentSpanId)!;
  expect(root).toMatchObject({ service: 'gateway', kind: SERVER });
  // The mutation's SQL is in the trace, under the resolver: the statement that stores the order.
  expect(
    receiver.spans.some(
      (span) =>
        span.traceId === traceId &&
        span.service === 'orders' &&
        span.name.startsWith('pg.query:') &&
        String(span.attributes['db.query.text']).includes('INSERT INTO orders (') &&
        ancestry(span).includes('orders graphql.resolve createOrder'),
    ),
  ).toBe(true);

  // Inventory applied it: a span per event in the order's trace, linked to the batch's own span.
  const applied = await childOf(created, 'inventory', 'order-created process');
  expect(applied.kind).toBe(CONSUMER);
  const batch = receiver.spans.find((span) => span.spanId === applied.links[0]?.spanId)!;
  expect(batch).toMatchObject({
    service: 'inventory',
    name: 'order-created process',
    kind: CONSUMER,
    parentSpanId: undefined,
  });
  expect(batch.links).toContainEqual({ traceId, spanId: created.spanId });

  // Its verdict continues the order's trace into orders, whose status change reaches the gateway.
  const verdict = await childOf(applied, 'inventory', 'order-processed publish');
  const outcome = await childOf(verdict, 'orders', 'order-processed process');
  const statusChange = await childOf(outcome, 'orders', 'order-status-changed publish');
  const delivered = await childOf(statusChange, 'gateway', 'order-status-changed receive');
  expect(delivered.kind).toBe(CONSUMER);

  const status = await graphql<{ order: { status: string } }>(
    `
      query ($id: ID!) {
        order(id: $id) {
          status
        }
      }
    `,
    {
      id: orderId,
    },
  );
  expect(status.data!.order.status).toBe('CONFIRMED');

  // The gateway's log line for that event names the trace and the span it was written in.
  const line = await waitFor(
    () =>
      gatewayLog.find((entry) => entry.msg === 'event received for subscribers' && entry.span_id === delivered.spanId),
    10_000,
    'the log line of the delivered event',
  );
  expect(line).toMatchObject({ trace_id: traceId, topic: expect.stringMatching(/order-status-changed$/) });
});
