import type { Admin } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { healthOrder } from '@io/registry';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
let admin: Admin;
let prefix: string;

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
  prefix = system.config.KAFKA_TOPIC_PREFIX;
  admin = createKafka('test-monitor-admin', kafkaConnection(system.config), createLogger('admin', 'silent')).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
  await system?.close();
});

interface KafkaStats {
  brokers: number;
  topics: {
    topic: string;
    partitions: number;
    messages: number;
    messagesLastMinute: number;
    throughputPerSecond: number;
  }[];
  consumerGroups: { groupId: string; state: string; members: number; lag: number }[];
  deadLetters: number;
  totalMessages: number;
}

const statsFields = `brokers topics { topic partitions messages messagesLastMinute throughputPerSecond }
  consumerGroups { groupId state members lag } deadLetters totalMessages`;

async function query<T>(text: string, variables?: Record<string, unknown>): Promise<T> {
  const { data, errors } = await system.graphql<T>(text, variables);
  if (errors) throw new Error(JSON.stringify(errors));
  return data!;
}

const kafkaStats = async () =>
  (await query<{ kafkaStats: KafkaStats }>(`{ kafkaStats { ${statsFields} } }`)).kafkaStats;

/** What kafkajs's admin reports, read directly: messages per topic, and each group's lag where it committed. */
async function fromAdmin(): Promise<
  Omit<KafkaStats, 'topics'> & {
    topics: Omit<KafkaStats['topics'][number], 'messagesLastMinute' | 'throughputPerSecond'>[];
  }
> {
  const names = Object.values(topics);
  const offsets = new Map<string, Awaited<ReturnType<Admin['fetchTopicOffsets']>>>(
    await Promise.all(names.map(async (topic) => [topic, await admin.fetchTopicOffsets(`${prefix}${topic}`)] as const)),
  );
  const topicStats = names.map((topic) => ({
    topic,
    partitions: offsets.get(topic)!.length,
    messages: offsets.get(topic)!.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0),
  }));
  const groupIds = (await admin.listGroups()).groups
    .map((group) => group.groupId)
    .filter((id) => id.startsWith(prefix))
    .sort();
  const described = (await admin.describeGroups(groupIds)).groups;
  const consumerGroups = await Promise.all(
    groupIds.map(async (groupId) => {
      let lag = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId,
        topics: names.map((name) => `${prefix}${name}`),
      })) {
        const highs = offsets.get(topic.slice(prefix.length))!;
        for (const { partition, offset } of partitions) {
          if (Number(offset) >= 0) lag += Number(highs.find((p) => p.partition === partition)!.high) - Number(offset);
        }
      }
      const group = described.find((found) => found.groupId === groupId)!;
      return { groupId: groupId.slice(prefix.length), state: group.state, members: group.members.length, lag };
    }),
  );
  const deadLetters = topicStats.find((topic) => topic.topic === topics.deadLetters)!.messages;
  return {
    brokers: (await admin.describeCluster()).brokers.length,
    topics: topicStats,
    consumerGroups,
    deadLetters,
    totalMessages: topicStats.reduce((sum, topic) => sum + topic.messages, 0),
  };
}

test('kafkaStats reports messages per topic, last-minute throughput and consumer group lag as kafkajs admin reads them', async () => {
  // Throughput counts from the monitor's first watermark sample, taken at the end of its first round.
  await waitFor(
    async () => (await f.sql(`SELECT 1 FROM monitor.health_checks WHERE service = 'kafka'`)).length >= 2,
    20_000,
    'two rounds of probes',
  );
  const productId = await f.createProduct({ stockQuantity: 100 });
  const orders = 6;
  const ids = [];
  for (let i = 0; i < orders; i += 1) ids.push(await f.createOrder('SELL', [{ productId, quantity: 1 }]));
  await f.waitForAllProcessed(ids);
  // A group parked at the start of order-created lags by every order created.
  await admin.setOffsets({
    groupId: `${prefix}parked`,
    topic: `${prefix}${topics.orderCreated}`,
    partitions: [0, 1, 2].map((partition) => ({ partition, offset: '0' })),
  });

  // Offsets move until every consumer has caught up: compare once both reads agree.
  let pair = [await kafkaStats(), await fromAdmin()] as const;
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const [stats, direct] = pair;
    const comparable = {
      ...stats,
      topics: stats.topics.map(({ topic, partitions, messages }) => ({ topic, partitions, messages })),
    };
    if (JSON.stringify(comparable) === JSON.stringify(direct)) break;
    await new Promise((wake) => setTimeout(wake, 300));
    pair = [await kafkaStats(), await fromAdmin()];
  }
  const [stats, direct] = pair;
  expect({
    ...stats,
    topics: stats.topics.map(({ topic, partitions, messages }) => ({ topic, partitions, messages })),
  }).toEqual(direct);

  const orderCreated = stats.topics.find((topic) => topic.topic === topics.orderCreated)!;
  expect(orderCreated).toEqual({
    topic: 'order-created',
    partitions: 3,
    messages: orders,
    messagesLastMinute: orders,
    throughputPerSecond: orders / 60,
  });
  expect(stats.topics.map((topic) => topic.topic)).toEqual(Object.values(topics));
  expect(stats.consumerGroups).toEqual(
    expect.arrayContaining([
      { groupId: 'parked', state: 'Empty', members: 0, lag: orders },
      { groupId: 'inventory-service', state: 'Stable', members: 1, lag: 0 },
      { groupId: 'orders-service', state: 'Stable', members: 1, lag: 0 },
      { groupId: 'monitor-service', state: 'Stable', members: 1, lag: 0 },
    ]),
  );
  expect(stats.deadLetters).toBe(0);
}, 60_000);

test('the dashboard through the gateway brings monitor, inventory and orders figures together', async () => {
  const lowId = await f.createProduct({ name: 'Dashboard low', stockQuantity: 1, minStockLevel: 5 });
  const orderId = await f.createOrder('SELL', [{ productId: lowId, quantity: 9 }]);
  expect(await f.waitForStatus(orderId)).toBe('REJECTED');
  await waitFor(
    async () =>
      (await query<{ alertCount: number }>(`{ alertCount(filter: { alertType: ORDER_REJECTED }) }`)).alertCount === 1,
    20_000,
    'the rejection alert',
  );
  await waitFor(
    async () =>
      (await query<{ servicesHealth: { status: string }[] }>(`{ servicesHealth { status } }`)).servicesHealth.filter(
        (health) => health.status === 'HEALTHY',
      ).length === 6,
    20_000,
    'every service HEALTHY',
  );

  const { dashboard } = await query<{ dashboard: Record<string, any> }>(`{
    dashboard {
      id generatedAt
      services { service status }
      kafka { brokers totalMessages deadLetters }
      openAlerts(limit: 50) { alertType state entityType entityId order { id status } }
      openAlertCount
      lowStockProducts { id name stockQuantity }
      productCount
      orderStats { totalOrders byStatus { status count } }
    }
  }`);
  const [{ unresolved }] = await f.sql<{ unresolved: number }>(
    `SELECT count(*)::int AS unresolved FROM monitor.alerts WHERE state <> 'RESOLVED'`,
  );
  const [{ products }] = await f.sql<{ products: number }>(`SELECT count(*)::int AS products FROM inventory.products`);

  expect(dashboard).toEqual({
    id: 'current',
    generatedAt: expect.any(String),
    services: [...healthOrder, 'kafka', 'postgres'].map((service) => ({ service, status: 'HEALTHY' })),
    kafka: { brokers: 1, totalMessages: expect.any(Number), deadLetters: 0 },
    openAlerts: expect.arrayContaining([
      { alertType: 'ORDER_REJECTED', state: 'OPEN', entityType: 'Product', entityId: lowId, order: null },
      { alertType: 'LOW_STOCK', state: 'OPEN', entityType: 'Product', entityId: lowId, order: null },
    ]),
    openAlertCount: unresolved,
    lowStockProducts: [{ id: lowId, name: 'Dashboard low', stockQuantity: 1 }],
    productCount: products,
    orderStats: {
      totalOrders: 7,
      byStatus: expect.arrayContaining([
        { status: 'CONFIRMED', count: 6 },
        { status: 'REJECTED', count: 1 },
      ]),
    },
  });
  expect(dashboard.openAlerts).toHaveLength(unresolved);
  expect(Math.abs(Date.parse(dashboard.generatedAt) - Date.now())).toBeLessThan(10_000);
}, 60_000);

test('a stopped monitor leaves no health checker behind: probes stop with it and resume when it starts again', async () => {
  const lastProbe = async () =>
    Number((await f.sql<{ id: number | null }>(`SELECT max(id) AS id FROM monitor.health_checks`))[0].id ?? 0);
  await system.stop('monitor');
  const atStop = await lastProbe();
  await new Promise((wake) => setTimeout(wake, 3 * Number(system.config.HEALTH_CHECK_INTERVAL_MS)));
  expect(await lastProbe()).toBe(atStop);

  await system.start('monitor');
  await waitFor(async () => (await lastProbe()) > atStop, 10_000, 'probes after the restart');
}, 30_000);
