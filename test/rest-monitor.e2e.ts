import { snakeCaseKeys } from '../gateway/src/rest/case';
import { subgraphNames } from '@io/registry';
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

const probe = 'service status responseTimeMs error checkedAt';
const serviceHealth = `${probe} availability`;
const kafkaStats = `brokers topics { topic partitions messages messagesLastMinute throughputPerSecond }
  consumerGroups { groupId state members lag } deadLetters totalMessages`;
const alert =
  'id alertType severity state source message entityType entityId raisedAt count lastSeenAt acknowledgedAt resolvedAt';
const product = 'id name description price stockQuantity minStockLevel isLowStock stockLevel createdAt updatedAt';
const orderStats = `totalOrders byStatus { status count } byType { orderType count }
  confirmedSellRevenue averageOrderValue topProducts { product { id name } quantity revenue }`;

async function viaGraphQL(query: string, variables?: Record<string, unknown>) {
  const { data, errors } = await system.graphql(query, variables);
  expect(errors).toBeUndefined();
  return snakeCaseKeys(data);
}

/**
 * Monitor's figures move on their own (probes run on a timer, Kafka offsets grow), so REST and
 * GraphQL are read back to back until one pair was taken between two changes.
 */
async function expectSameAsGraphQL(rest: () => Promise<unknown>, graphql: () => Promise<unknown>) {
  let pair = await Promise.all([rest(), graphql()]);
  for (let attempt = 1; attempt < 20 && JSON.stringify(pair[0]) !== JSON.stringify(pair[1]); attempt += 1) {
    await new Promise((wake) => setTimeout(wake, 200));
    pair = await Promise.all([rest(), graphql()]);
  }
  expect(pair[0]).toEqual(pair[1]);
}

const withoutTimestamp = ({ collected_at: _collected, ...stats }: Record<string, unknown>) => stats;

test("GET /api/monitor/dashboard answers GraphQL's dashboard, figures of all three subgraphs included", async () => {
  await api.post('/api/inventory/products', { name: 'Low one', price: 5, stock_quantity: 1, min_stock_level: 3 });
  const response = await api.get('/api/monitor/dashboard');
  expect(response.status).toBe(200);
  const expected = (
    await viaGraphQL(`{ dashboard { id lowStockProducts { ${product} } productCount orderStats { ${orderStats} } } }`)
  ).dashboard;
  const { id, low_stock_products, product_count, order_stats } = response.body;
  expect({ id, low_stock_products, product_count, order_stats }).toEqual(expected);
  expect(low_stock_products.map((item: { name: string }) => item.name)).toEqual(['Low one']);
  await expectSameAsGraphQL(
    async () =>
      (({ services, open_alerts, open_alert_count }) => ({ services, open_alerts, open_alert_count }))(
        (await api.get('/api/monitor/dashboard')).body,
      ),
    async () =>
      (await viaGraphQL(`{ dashboard { services { ${serviceHealth} } openAlerts { ${alert} } openAlertCount } }`))
        .dashboard,
  );
});

test("GET /api/monitor/services/health lists GraphQL's servicesHealth", async () => {
  // The monitor lists a service once it has probed it: wait for its first round.
  await waitFor(
    async () => {
      const listed = (await api.get('/api/monitor/services/health')).body.items.map(
        (item: { service: string }) => item.service,
      );
      return subgraphNames.every((name) => listed.includes(name));
    },
    20_000,
    'the first health probe of every subgraph',
  );
  await expectSameAsGraphQL(
    async () => (await api.get('/api/monitor/services/health')).body,
    async () => {
      const { services_health: items } = await viaGraphQL(`{ servicesHealth { ${serviceHealth} } }`);
      return { items, total: items.length, limit: items.length, offset: 0 };
    },
  );
  expect(
    (await api.get('/api/monitor/services/health')).body.items.map((item: { service: string }) => item.service),
  ).toEqual(expect.arrayContaining([...subgraphNames]));
});

test("GET /api/monitor/services/{service}/health answers GraphQL's serviceHealth; an unknown service is 404", async () => {
  await expectSameAsGraphQL(
    async () => (await api.get('/api/monitor/services/inventory/health')).body,
    async () =>
      (
        await viaGraphQL(`query ($service: String!) { serviceHealth(service: $service) { ${serviceHealth} } }`, {
          service: 'inventory',
        })
      ).service_health,
  );
  const unknown = await api.get('/api/monitor/services/teapot/health');
  expect({ status: unknown.status, body: unknown.body }).toEqual({
    status: 404,
    body: { error: { code: 'NOT_FOUND', message: 'Service teapot not found' } },
  });
});

test("GET /api/monitor/services/{service}/history answers GraphQL's serviceHealthHistory; bad input is 400, an unknown service 404", async () => {
  await expectSameAsGraphQL(
    async () => (await api.get('/api/monitor/services/orders/history?limit=5&since=2000-01-01T00:00:00Z')).body,
    async () => {
      const { service_health_history: items } = await viaGraphQL(
        `query ($service: String!) { serviceHealthHistory(service: $service, since: "2000-01-01T00:00:00Z", limit: 5) { ${probe} } }`,
        { service: 'orders' },
      );
      return { items, total: items.length, limit: 5, offset: 0 };
    },
  );
  const answers = await Promise.all([
    api.get('/api/monitor/services/teapot/history'),
    api.get('/api/monitor/services/orders/history?since=last%20week'),
    api.get('/api/monitor/services/orders/history?limit=x'),
  ]);
  expect(answers.map(({ status, body }) => [status, body.error.code, body.error.field])).toEqual([
    [404, 'NOT_FOUND', undefined],
    [400, 'BAD_USER_INPUT', 'since'],
    [400, 'BAD_USER_INPUT', 'limit'],
  ]);
});

test("GET /api/monitor/kafka/stats answers GraphQL's kafkaStats", async () => {
  await expectSameAsGraphQL(
    async () => withoutTimestamp((await api.get('/api/monitor/kafka/stats')).body),
    async () => (await viaGraphQL(`{ kafkaStats { ${kafkaStats} } }`)).kafka_stats,
  );
});

test("GET /api/monitor/alerts answers GraphQL's alerts and alertCount, with lowercase or uppercase filters", async () => {
  const product = await api.post('/api/inventory/products', {
    name: 'Alerting',
    price: 5,
    stock_quantity: 1,
    min_stock_level: 0,
  });
  await api.post('/api/orders/orders', {
    order_type: 'sell',
    customer_name: 'A',
    customer_email: 'a@example.com',
    items: [{ product_id: Number(product.body.id), quantity: 9, unit_price: 5 }],
  });
  await waitFor(
    async () => (await api.get('/api/monitor/alerts?alert_type=order_rejected')).body.total > 0,
    30_000,
    'an ORDER_REJECTED alert',
  );
  const response = await api.get('/api/monitor/alerts?alert_type=order_rejected&state=OPEN&limit=10');
  const expected = await viaGraphQL(
    `query ($filter: AlertFilter) { alerts(filter: $filter, limit: 10) { ${alert} } alertCount(filter: $filter) }`,
    { filter: { alertType: 'ORDER_REJECTED', state: 'OPEN' } },
  );
  expect(response.body).toEqual({ items: expected.alerts, total: expected.alert_count, limit: 10, offset: 0 });
  expect(response.body.items[0]).toEqual(expect.objectContaining({ alert_type: 'ORDER_REJECTED', state: 'OPEN' }));
  const everything = await api.get('/api/monitor/alerts');
  const all = await viaGraphQL(`{ alerts { ${alert} } alertCount }`);
  expect(everything.body).toEqual({ items: all.alerts, total: all.alert_count, limit: 50, offset: 0 });
  const bad = await api.get('/api/monitor/alerts?severity=loud');
  expect([bad.status, bad.body.error.field]).toEqual([400, 'severity']);
});

test('GET /api/monitor/health is 200 while monitor answers', async () => {
  const response = await api.get('/api/monitor/health');
  expect(response.body).toEqual({
    status: 'healthy',
    service: 'monitor',
    response_time_ms: expect.any(Number),
    checked_at: expect.any(String),
  });
});
