import { topics } from '@io/events/catalog';
import { fixtures } from './support/fixtures';
import { scrape, sample, type Scrape } from './support/prometheus';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;
let urls: Record<'gateway' | 'inventory' | 'orders' | 'monitor', string>;

beforeAll(async () => {
  system = await startTestSystem();
  urls = {
    gateway: system.gatewayUrl,
    inventory: system.services.inventory.url,
    orders: system.services.orders.url,
    monitor: system.services.monitor.url,
  };
});

afterAll(async () => {
  await system?.close();
});

const scrapeAll = async () =>
  Object.fromEntries(
    await Promise.all(Object.entries(urls).map(async ([name, url]) => [name, await scrape(url)] as const)),
  ) as Record<keyof typeof urls, Scrape>;

const placeOrder = `mutation PlaceOrder($input: CreateOrderInput!) { createOrder(input: $input) { id status } }`;
const orderStatus = `query OrderStatus($id: ID!) { order(id: $id) { status } }`;

test('every process serves Prometheus text with its own process metrics', async () => {
  const scraped = await scrapeAll();
  for (const series of Object.values(scraped)) {
    expect(series.has('process_cpu_user_seconds_total')).toBe(true);
    expect(series.has('nodejs_eventloop_lag_seconds')).toBe(true);
  }
  // Scrape-time gauges: the outbox of each subgraph, the subscriptions of the gateway, Kafka from the monitor.
  expect(scraped.orders.has('outbox_unpublished_rows')).toBe(true);
  expect(scraped.inventory.has('outbox_oldest_unpublished_age_seconds')).toBe(true);
  expect(scraped.gateway.has('subscription_sockets')).toBe(true);
  expect(scraped.gateway.has('subscriptions_active')).toBe(true);
  expect(scraped.gateway.has('subscription_dropped_events_total')).toBe(true);
  expect(sample(scraped.monitor, 'kafka_stats_up')).toBe(1);
});

test('counters move by what a run of orders sent: requests by operation, Kafka by topic, the saga histogram', async () => {
  const { data: created, errors } = await system.graphql<{ createProduct: { id: string } }>(
    `mutation CreateMetricsProduct { createProduct(input: {name: "Metered", price: "2.00", stockQuantity: 10, minStockLevel: 0}) { id } }`,
  );
  expect(errors).toBeUndefined();
  const productId = created!.createProduct.id;
  // Settled: the product's own events are published and consumed before the baseline is read.
  await waitFor(async () => sample(await scrape(urls.inventory), 'outbox_unpublished_rows') === 0);
  const before = await scrapeAll();

  const orders = 15; // stock 10: ten are confirmed, five rejected (one product's events keep their order)
  const ids: string[] = [];
  for (let index = 0; index < orders; index += 1) {
    const { data } = await system.graphql<{ createOrder: { id: string } }>(placeOrder, {
      input: {
        orderType: 'SELL',
        customerName: 'Metrics',
        customerEmail: 'metrics@example.com',
        items: [{ productId, quantity: 1, unitPrice: '2.00' }],
      },
    });
    ids.push(data!.createOrder.id);
  }
  const statuses = await waitFor(async () => {
    const all = await Promise.all(
      ids.map(
        async (id) => (await system.graphql<{ order: { status: string } }>(orderStatus, { id })).data!.order.status,
      ),
    );
    return all.every((status) => status !== 'PENDING') && all;
  }, 60_000);
  expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(10);
  const bad = await system.graphql(`query Broken { noSuchField }`);
  expect(bad.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const rest = await fetch(`${urls.gateway}/api/orders/orders/${ids[0]}`);
  expect(rest.status).toBe(200);
  const missing = await fetch(`${urls.gateway}/api/orders/orders/999999999`);
  expect(missing.status).toBe(404);

  const delta = (after: Scrape, service: keyof typeof urls, name: string, labels: Record<string, string> = {}) =>
    sample(after, name, labels) - sample(before[service], name, labels);
  // Counted after each Kafka batch and outbox batch: wait until the last of them are in.
  const after = await waitFor(
    async () => {
      const scraped = await scrapeAll();
      const settled =
        delta(scraped.orders, 'orders', 'kafka_messages_consumed_total', {
          group: 'orders-service',
          topic: 'order-processed',
        }) >= orders &&
        delta(scraped.gateway, 'gateway', 'kafka_messages_consumed_total', {
          group: 'gateway',
          topic: 'order-status-changed',
        }) >=
          2 * orders;
      return settled && scraped;
    },
    30_000,
    'the last batches to be counted',
  );

  const { gateway, inventory, orders: ordersService } = after;
  expect(
    delta(gateway, 'gateway', 'graphql_operation_duration_seconds_count', {
      operation: 'PlaceOrder',
      type: 'mutation',
    }),
  ).toBe(orders);
  expect(
    delta(gateway, 'gateway', 'graphql_operation_duration_seconds_count', { operation: 'OrderStatus', type: 'query' }),
  ).toBeGreaterThanOrEqual(orders);
  expect(delta(gateway, 'gateway', 'graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
  expect(
    delta(gateway, 'gateway', 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/orders/orders/{id}',
      status: '200',
    }),
  ).toBe(1);
  expect(
    delta(gateway, 'gateway', 'http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/orders/orders/{id}',
      status: '404',
    }),
  ).toBe(1);
  expect(delta(gateway, 'gateway', 'rest_errors_total', { code: 'NOT_FOUND' })).toBe(1);
  expect(
    delta(gateway, 'gateway', 'http_request_duration_seconds_count', {
      method: 'POST',
      route: '/graphql',
      status: '200',
    }),
    // PlaceOrder and at least one OrderStatus poll per order; the broken query is answered 400.
  ).toBeGreaterThanOrEqual(2 * orders);

  // The saga: orders → order-created → inventory → order-processed → orders, and order-status-changed → gateway.
  expect(delta(ordersService, 'orders', 'kafka_messages_produced_total', { topic: 'order-created' })).toBe(orders);
  expect(
    delta(inventory, 'inventory', 'kafka_messages_consumed_total', {
      group: 'inventory-service',
      topic: 'order-created',
    }),
  ).toBe(orders);
  expect(delta(inventory, 'inventory', 'kafka_messages_produced_total', { topic: 'order-processed' })).toBe(orders);
  expect(
    delta(ordersService, 'orders', 'kafka_messages_consumed_total', {
      group: 'orders-service',
      topic: 'order-processed',
    }),
  ).toBe(orders);
  // One status change when the order is stored PENDING, one when its outcome is.
  expect(delta(ordersService, 'orders', 'kafka_messages_produced_total', { topic: 'order-status-changed' })).toBe(
    2 * orders,
  );
  expect(
    delta(gateway, 'gateway', 'kafka_messages_consumed_total', { group: 'gateway', topic: 'order-status-changed' }),
  ).toBe(2 * orders);
  expect(delta(ordersService, 'orders', 'saga_order_finalize_seconds_count', { status: 'CONFIRMED' })).toBe(10);
  expect(delta(ordersService, 'orders', 'saga_order_finalize_seconds_count', { status: 'REJECTED' })).toBe(5);
  expect(
    delta(ordersService, 'orders', 'saga_order_finalize_seconds_bucket', { le: '+Inf', status: 'CONFIRMED' }),
  ).toBe(10);
  expect(sample(ordersService, 'saga_order_finalize_seconds_sum', { status: 'CONFIRMED' })).toBeGreaterThan(0);
  // The subgraph sees the gateway's own operations (named after the client's by the query planner).
  expect(
    [...ordersService.keys()].some((key) =>
      key.startsWith('graphql_operation_duration_seconds_count{operation="PlaceOrder'),
    ),
  ).toBe(true);
  expect(sample(ordersService, 'kafka_dead_letters_total', { group: 'orders-service', topic: 'order-processed' })).toBe(
    0,
  );
});

test("the monitor's Kafka figures are kafkaStats' figures: lag by group and partition, dead letters", async () => {
  // After the run above everything is consumed: each group's lag per partition drains to 0, and the
  // sum of the partitions is what kafkaStats (the dashboard's source) reports for the group.
  const monitor = await waitFor(
    async () => {
      const scraped = await scrape(urls.monitor);
      const lags = [...scraped].filter(([key]) => key.startsWith('kafka_consumer_group_lag{group="inventory-service"'));
      return lags.length > 0 && lags.every(([, value]) => value === 0) && scraped;
    },
    30_000,
    'inventory-service lag 0 on every partition',
  );
  const { data } = await system.graphql<{
    kafkaStats: {
      deadLetters: number;
      consumerGroups: { groupId: string; lag: number }[];
      topics: { topic: string; messages: number }[];
    };
  }>(`query KafkaFigures { kafkaStats { deadLetters consumerGroups { groupId lag } topics { topic messages } } }`);
  const stats = data!.kafkaStats;
  expect(sample(monitor, 'kafka_dead_letter_messages')).toBe(stats.deadLetters);
  const orderCreated = stats.topics.find((topic) => topic.topic === 'order-created')!;
  expect(sample(monitor, 'kafka_topic_messages', { topic: 'order-created' })).toBe(orderCreated.messages);
  expect(stats.consumerGroups.find((group) => group.groupId === 'inventory-service')?.lag).toBe(0);
  const partitions = [...monitor.keys()].filter((key) =>
    key.startsWith('kafka_consumer_group_lag{group="inventory-service",topic="order-created",partition='),
  );
  expect(partitions.length).toBeGreaterThanOrEqual(1);
});

test('a stopped consumer shows lag on the monitor until it is back; a poison message counts as a dead letter on both sides', async () => {
  const lagOf = (scraped: Scrape, group: string, topic: string) =>
    [...scraped]
      .filter(([key]) => key.startsWith(`kafka_consumer_group_lag{group="${group}",topic="${topic}",`))
      .reduce((sum, [, value]) => sum + value, 0);
  const { data } = await system.graphql<{ createProduct: { id: string } }>(
    `mutation { createProduct(input: {name: "Lagged", price: "1.00", stockQuantity: 5, minStockLevel: 0}) { id } }`,
  );
  await system.stop('inventory');
  try {
    for (let index = 0; index < 3; index += 1) {
      const { errors } = await system.graphql(placeOrder, {
        input: {
          orderType: 'SELL',
          customerName: 'Lag',
          customerEmail: 'lag@example.com',
          items: [{ productId: data!.createProduct.id, quantity: 1, unitPrice: '1.00' }],
        },
      });
      expect(errors).toBeUndefined();
    }
    // Nobody consumes order-created: its three events are the group's lag, as the broker sees it.
    await waitFor(
      async () => lagOf(await scrape(urls.monitor), 'inventory-service', 'order-created') === 3,
      30_000,
      'inventory-service lag 3 on order-created',
    );
  } finally {
    await system.start('inventory');
  }
  urls.inventory = system.services.inventory.url;
  await waitFor(
    async () => lagOf(await scrape(urls.monitor), 'inventory-service', 'order-created') === 0,
    60_000,
    'inventory-service lag back to 0',
  );

  const before = { inventory: await scrape(urls.inventory), monitor: await scrape(urls.monitor) };
  await fixtures(system).publishRaw(topics.orderCreated, 'poison', 'not an event');
  const inventory = await waitFor(
    async () => {
      const scraped = await scrape(urls.inventory);
      return (
        sample(scraped, 'kafka_dead_letters_total', { group: 'inventory-service', topic: 'order-created' }) >
          sample(before.inventory, 'kafka_dead_letters_total', {
            group: 'inventory-service',
            topic: 'order-created',
          }) && scraped
      );
    },
    30_000,
    'the poison message dead-lettered',
  );
  expect(
    sample(inventory, 'kafka_dead_letters_total', { group: 'inventory-service', topic: 'order-created' }) -
      sample(before.inventory, 'kafka_dead_letters_total', { group: 'inventory-service', topic: 'order-created' }),
  ).toBe(1);
  expect(
    sample(inventory, 'kafka_messages_produced_total', { topic: 'dead-letters' }) -
      sample(before.inventory, 'kafka_messages_produced_total', { topic: 'dead-letters' }),
  ).toBe(1);
  const monitor = await scrape(urls.monitor);
  expect(sample(monitor, 'kafka_dead_letter_messages') - sample(before.monitor, 'kafka_dead_letter_messages')).toBe(1);
});
