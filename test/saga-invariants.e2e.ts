import { orderCreated, topics } from '@io/events/catalog';
import { createEnvelope } from '@io/events/envelope';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

afterEach(async () => {
  expect(await f.ledgerViolations()).toEqual([]);
});

test('200 concurrent single-unit sell orders against a stock of 50: exactly 50 are confirmed and 150 rejected', async () => {
  const productId = await f.createProduct({ stockQuantity: 50, minStockLevel: 5 });

  const orderIds = await Promise.all(
    Array.from({ length: 200 }, () => f.createOrder('SELL', [{ productId, quantity: 1 }])),
  );
  const statuses = await f.waitForAllProcessed(orderIds);

  expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(50);
  expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(150);
  expect(await f.stockOf(productId)).toBe(0);
  const [{ sales }] = await f.sql<{ sales: number }>(
    `SELECT count(*)::int AS sales FROM inventory.stock_movements WHERE product_id = $1 AND movement_type = 'SALE'`,
    [Number(productId)],
  );
  expect(sales).toBe(50);
});

test('an order of several products is applied all or nothing', async () => {
  const plenty = await f.createProduct({ stockQuantity: 10 });
  const scarce = await f.createProduct({ stockQuantity: 1 });

  const rejected = await f.createOrder('SELL', [
    { productId: plenty, quantity: 4 },
    { productId: scarce, quantity: 2 },
  ]);
  expect(await f.waitForStatus(rejected)).toBe('REJECTED');
  expect([await f.stockOf(plenty), await f.stockOf(scarce)]).toEqual([10, 1]);

  const confirmed = await f.createOrder('SELL', [
    { productId: plenty, quantity: 4 },
    { productId: scarce, quantity: 1 },
    { productId: plenty, quantity: 1 },
  ]);
  expect(await f.waitForStatus(confirmed)).toBe('CONFIRMED');
  expect([await f.stockOf(plenty), await f.stockOf(scarce)]).toEqual([5, 0]);
});

test('a buy order brings its stock in when inventory confirms it', async () => {
  const productId = await f.createProduct({ stockQuantity: 0 });

  const orderId = await f.createOrder('BUY', [{ productId, quantity: 7 }]);

  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  expect(await f.stockOf(productId)).toBe(7);
});

test('a replayed order-created event changes nothing the second time', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 3 }]);
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  const [row] = await f.sql<{ payload: object }>(
    `SELECT payload FROM orders.outbox_events WHERE topic = 'order-created' AND key = $1`,
    [orderId],
  );

  await f.publishRaw(topics.orderCreated, orderId, JSON.stringify(row.payload));
  await f.publishRaw(topics.orderCreated, orderId, JSON.stringify(row.payload));
  // A later order on the same partition proves the duplicates were consumed before we look.
  const marker = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(marker)).toBe('CONFIRMED');

  expect(await f.stockOf(productId)).toBe(6);
  const movements = await f.sql(`SELECT quantity_change FROM inventory.stock_movements WHERE reference_id = $1`, [
    `order:${orderId}`,
  ]);
  expect(movements).toEqual([{ quantity_change: -3 }]);
});

test('a message that cannot be parsed goes to the dead-letter topic and the consumer keeps going', async () => {
  const productId = await f.createProduct({ stockQuantity: 5 });
  const poison = JSON.stringify({
    ...createEnvelope(orderCreated, {
      orderId: 999_999,
      orderType: 'SELL' as const,
      items: [{ productId: 1, quantity: 1 }],
    }),
    data: { orderId: 'not a number' },
  });
  const admin = createKafka('test-dlq', kafkaConnection(system.config), createLogger('dlq', 'silent')).admin();
  await admin.connect();
  const deadLetterTopic = `${system.config.KAFKA_TOPIC_PREFIX}${topics.deadLetters}`;
  const before = (await admin.fetchTopicOffsets(deadLetterTopic)).reduce(
    (sum, partition) => sum + Number(partition.high),
    0,
  );

  await f.publishRaw(topics.orderCreated, '999999', '{not json');
  await f.publishRaw(topics.orderCreated, '999999', poison);
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 2 }]);

  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  await waitFor(
    async () =>
      (await admin.fetchTopicOffsets(deadLetterTopic)).reduce((sum, partition) => sum + Number(partition.high), 0) ===
      before + 2,
    20_000,
    'two dead letters',
  );
  await admin.disconnect();
});

test('cancelling a confirmed sell order gives its stock back exactly once', async () => {
  const productId = await f.createProduct({ stockQuantity: 10 });
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 4 }]);
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');

  const results = await Promise.all(
    Array.from({ length: 5 }, () =>
      system.graphql(`mutation ($id: ID!) { cancelOrder(id: $id, reason: "customer changed mind") { status } }`, {
        id: orderId,
      }),
    ),
  );

  expect(results.filter((result) => result.data?.cancelOrder.status === 'CANCELLED')).toHaveLength(1);
  expect(results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT')).toHaveLength(4);
  await waitFor(async () => (await f.stockOf(productId)) === 10, 20_000, 'stock given back');
  const marker = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  expect(await f.waitForStatus(marker)).toBe('CONFIRMED');
  expect(await f.stockOf(productId)).toBe(9);
  const movements = await f.sql(
    `SELECT movement_type, quantity_change FROM inventory.stock_movements WHERE reference_id = $1 ORDER BY id`,
    [`order:${orderId}`],
  );
  expect(movements).toEqual([
    { movement_type: 'SALE', quantity_change: -4 },
    { movement_type: 'RETURN', quantity_change: 4 },
  ]);
});

test('orders created while inventory is down are all processed when it comes back, and a pending order cancelled meanwhile ends with its stock given back', async () => {
  const productId = await f.createProduct({ stockQuantity: 20 });
  await system.stop('inventory');

  const orderIds = await Promise.all(
    Array.from({ length: 10 }, () => f.createOrder('SELL', [{ productId, quantity: 1 }])),
  );
  const cancelled = orderIds[0];
  const { data } = await system.graphql(`mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id: cancelled });
  expect(data!.cancelOrder.status).toBe('CANCELLED');
  expect(await Promise.all(orderIds.slice(1).map(f.orderStatus))).toEqual(Array(9).fill('PENDING'));
  const meanwhile = await system.graphql(`query ($id: ID!) { product(id: $id) { stockQuantity } }`, { id: productId });
  expect(meanwhile.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', service: 'inventory' });

  await system.start('inventory');

  expect(await f.waitForAllProcessed(orderIds.slice(1))).toEqual(Array(9).fill('CONFIRMED'));
  expect(await f.orderStatus(cancelled)).toBe('CANCELLED');
  await waitFor(
    async () => (await f.stockOf(productId)) === 11,
    20_000,
    'stock of 9 sold units taken, the cancelled one not',
  );
});
