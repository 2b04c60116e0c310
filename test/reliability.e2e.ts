import { quantityLimits } from '@io/domain/limits';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * No order is left PENDING by any failure (issue 12): stock cannot be pushed past int by orders or
 * operators, a poison order-created rejects its order, dead letters are listed and replayed, and
 * an order stuck PENDING raises an alert.
 */
let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const { maxStock } = quantityLimits;
const pendingAlertMs = 2000;

beforeAll(async () => {
  system = await startTestSystem({ PENDING_ALERT_MS: String(pendingAlertMs) });
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

type Answer = Awaited<ReturnType<TestSystem['graphql']>>;
const codes = (answer: Answer) => answer.errors?.map((error) => error.extensions?.code);

interface DeadLetter {
  id: string;
  consumerGroup: string;
  topic: string;
  key: string | null;
  value: string | null;
  error: string;
  attempts: number;
  replayCount: number;
}

async function deadLetters(topic: string): Promise<DeadLetter[]> {
  const { data, errors } = await system.graphql<{ deadLetters: DeadLetter[] }>(
    `query ($topic: String) { deadLetters(topic: $topic) { id consumerGroup topic key value error attempts replayCount } }`,
    { topic },
  );
  expect(errors).toBeUndefined();
  return data!.deadLetters;
}

const replay = (id: string) =>
  system.graphql<{ replayDeadLetter: DeadLetter }>(
    `mutation ($id: ID!) { replayDeadLetter(id: $id) { id replayCount topic } }`,
    { id },
  );

async function order(id: string) {
  const { data } = await system.graphql<{ order: { status: string; failureReason: string | null } }>(
    `query ($id: ID!) { order(id: $id) { status failureReason } }`,
    { id },
  );
  return data!.order;
}

const pendingAlerts = async (orderId: string) => {
  const { data } = await system.graphql<{ alerts: { entityId: string; state: string; message: string }[] }>(
    `{ alerts(filter: { alertType: ORDER_PENDING_TOO_LONG }, limit: 500) { entityId state message } }`,
  );
  return data!.alerts.filter((alert) => alert.entityId === orderId);
};

/**
 * A failure of the test's choosing: a trigger that refuses `on` (INSERT or UPDATE) of `table`'s
 * rows where `condition` holds, raising an error of the data's own (SQLSTATE P0001, not transient).
 * Returns what removes it.
 */
async function failWrites(table: string, on: 'INSERT' | 'UPDATE', condition: string): Promise<() => Promise<void>> {
  const name = `fail_${table.replace('.', '_')}_${on.toLowerCase()}`;
  await f.sql(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'forced failure of ${table}'; END $$`);
  await f.sql(
    `CREATE TRIGGER ${name} BEFORE ${on} ON ${table} FOR EACH ROW WHEN (${condition}) EXECUTE FUNCTION ${name}()`,
  );
  let removed = false;
  return async () => {
    if (removed) return;
    removed = true;
    await f.sql(`DROP TRIGGER ${name} ON ${table}`);
    await f.sql(`DROP FUNCTION ${name}()`);
  };
}

/** Waits until inventory's consumer group has committed everything on order-created (a replay was consumed). */
async function waitForInventoryToCatchUp(): Promise<void> {
  const admin = createKafka('test-lag', kafkaConnection(system.config), createLogger('lag', 'silent')).admin();
  await admin.connect();
  const prefix = system.config.KAFKA_TOPIC_PREFIX;
  const topic = `${prefix}order-created`;
  try {
    await waitFor(
      async () => {
        const high = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: `${prefix}inventory-service`, topics: [topic] });
        return high.every(
          (partition) =>
            committed.partitions.find((c) => c.partition === partition.partition)?.offset === partition.high,
        );
      },
      30_000,
      'inventory to consume order-created to the end',
      250,
    );
  } finally {
    await admin.disconnect();
  }
}

test('BUY orders fill a product to the stock limit; the next one is REJECTED STOCK_LIMIT_EXCEEDED, with no dead letter and nothing PENDING', async () => {
  const productId = await f.createProduct({ stockQuantity: maxStock - 1_500_000 });
  const first = await f.createOrder('BUY', [{ productId, quantity: 1_000_000, unitPrice: '0' }]);
  expect(await f.waitForStatus(first)).toBe('CONFIRMED');
  const tooMany = await f.createOrder('BUY', [
    { productId, quantity: 300_000, unitPrice: '0' },
    { productId, quantity: 300_000, unitPrice: '0' },
  ]);
  expect(await f.waitForStatus(tooMany)).toBe('REJECTED');
  expect((await order(tooMany)).failureReason).toMatch(/^STOCK_LIMIT_EXCEEDED: /);
  expect(await f.stockOf(productId)).toBe(maxStock - 500_000);

  const last = await f.createOrder('BUY', [{ productId, quantity: 500_000, unitPrice: '0' }]);
  expect(await f.waitForStatus(last)).toBe('CONFIRMED');
  expect(await f.stockOf(productId)).toBe(maxStock);
  const past = await f.createOrder('BUY', [{ productId, quantity: 1, unitPrice: '0' }]);
  expect(await f.waitForStatus(past)).toBe('REJECTED');
  expect(await f.stockOf(productId)).toBe(maxStock);

  expect(await deadLetters('order-created')).toEqual([]);
  expect(await f.ledgerViolations()).toEqual([]);
});

test('adjustStock past the stock limit is CONFLICT STOCK_LIMIT_EXCEEDED (REST 409) and changes nothing; a change past int is BAD_USER_INPUT', async () => {
  const productId = await f.createProduct({ stockQuantity: maxStock - 10 });
  const adjust = (quantityChange: number) =>
    system.graphql(
      `mutation ($id: ID!, $input: AdjustStockInput!) { adjustStock(productId: $id, input: $input) { id } }`,
      { id: productId, input: { quantityChange } },
    );
  const nearLimit = await adjust(1_000_000);
  expect(codes(nearLimit)).toEqual(['CONFLICT']);
  expect(nearLimit.errors![0].extensions).toMatchObject({ reason: 'STOCK_LIMIT_EXCEEDED', maxStock });
  expect(codes(await adjust(2_147_483_647))).toEqual(['BAD_USER_INPUT']);
  const rest = await fetch(`${system.gatewayUrl}/api/inventory/products/${productId}/stock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ quantity_change: 11 }),
  });
  expect(rest.status).toBe(409);
  expect(await rest.json()).toMatchObject({
    error: { code: 'CONFLICT', message: expect.stringMatching(/limit of 2000000000/) },
  });

  expect(await f.stockOf(productId)).toBe(maxStock - 10);
  const [{ movements }] = await f.sql<{ movements: number }>(
    'SELECT count(*)::int AS movements FROM inventory.stock_movements WHERE product_id = $1',
    [Number(productId)],
  );
  expect(movements).toBe(1);
  expect(await adjust(10)).not.toHaveProperty('errors');
  expect(await f.stockOf(productId)).toBe(maxStock);
});

test('a poison order-created is dead-lettered and its order REJECTED PROCESSING_FAILED; the dead letter is listed, and replaying it changes nothing', async () => {
  const productId = await f.createProduct({ stockQuantity: 100 });
  const restore = await failWrites('inventory.stock_movements', 'INSERT', `NEW.product_id = ${Number(productId)}`);
  let orderId: string;
  try {
    orderId = await f.createOrder('SELL', [{ productId, quantity: 3 }]);
    expect(await f.waitForStatus(orderId, ['REJECTED'], 60_000)).toBe('REJECTED');
  } finally {
    await restore();
  }
  expect((await order(orderId)).failureReason).toMatch(/^PROCESSING_FAILED: inventory could not process order \d+: /);
  expect(await f.stockOf(productId)).toBe(100);

  // The monitor lists it once it has read the dead-letter topic (it fetches what gathered each second).
  const [letter, ...others] = await waitFor(
    async () => {
      const listed = await deadLetters('order-created');
      return listed.length > 0 && listed;
    },
    20_000,
    'the dead letter to be listed',
  );
  expect(others).toEqual([]);
  expect(letter).toMatchObject({
    consumerGroup: 'inventory-service',
    topic: 'order-created',
    key: orderId,
    attempts: 5,
  });
  expect(JSON.parse(letter.value!)).toMatchObject({ data: { orderId: Number(orderId) } });
  expect(letter.error).toMatch(/SQLSTATE P0001/);

  const replayed = await replay(letter.id);
  expect(replayed.errors).toBeUndefined();
  expect(replayed.data!.replayDeadLetter).toMatchObject({ id: letter.id, replayCount: 1, topic: 'order-created' });
  await waitForInventoryToCatchUp();
  expect(await order(orderId)).toMatchObject({ status: 'REJECTED' });
  expect(await f.stockOf(productId)).toBe(100);
  expect(await deadLetters('order-created')).toHaveLength(1);
  expect(await f.ledgerViolations()).toEqual([]);
});

test('an order whose verdict cannot be stored stays PENDING and raises ORDER_PENDING_TOO_LONG; replaying the dead letter confirms it and resolves the alert', async () => {
  const productId = await f.createProduct({ stockQuantity: 100 });
  const customerName = 'Verdict refused';
  const restore = await failWrites('orders.orders', 'UPDATE', `NEW.customer_name = '${customerName}'`);
  let orderId: string;
  try {
    const created = await system.graphql<{ createOrder: { id: string } }>(
      `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
      {
        input: {
          orderType: 'SELL',
          customerName,
          customerEmail: 'stuck@example.com',
          items: [{ productId, quantity: 4, unitPrice: '1.00' }],
        },
      },
    );
    expect(created.errors).toBeUndefined();
    orderId = created.data!.createOrder.id;
    const letter = await waitFor(
      async () => (await deadLetters('order-processed')).find((l) => l.key === orderId),
      60_000,
      'the verdict to be dead-lettered',
    );
    expect(letter).toMatchObject({ consumerGroup: 'orders-service', attempts: 5 });
    expect(await f.stockOf(productId)).toBe(96);
    expect((await order(orderId)).status).toBe('PENDING');
    const [alert] = await waitFor(
      async () => {
        const alerts = await pendingAlerts(orderId);
        return alerts.length > 0 && alerts;
      },
      30_000,
      'an ORDER_PENDING_TOO_LONG alert',
    );
    expect(alert).toMatchObject({ state: 'OPEN', message: expect.stringMatching(/PENDING for \d+ s/) });

    await restore();
    const replayed = await replay(letter.id);
    expect(replayed.errors).toBeUndefined();
  } finally {
    await restore();
  }
  expect(await f.waitForStatus(orderId)).toBe('CONFIRMED');
  await waitFor(
    async () => (await pendingAlerts(orderId)).every((alert) => alert.state === 'RESOLVED'),
    30_000,
    'the pending alert to resolve',
  );
  expect(await f.stockOf(productId)).toBe(96);
});

test('a dead letter that could not be read is listed but not replayed (CONFLICT); bad ids are BAD_USER_INPUT or NOT_FOUND', async () => {
  await f.publishRaw('order-created', '424242', '{not json');
  const letter = await waitFor(
    async () => (await deadLetters('order-created')).find((l) => l.value === '{not json'),
    30_000,
    'the unreadable message to be dead-lettered',
  );
  expect(letter.attempts).toBe(0);
  const refused = await replay(letter.id);
  expect(codes(refused)).toEqual(['CONFLICT']);
  expect(refused.errors![0].extensions).toMatchObject({ reason: 'UNREADABLE_MESSAGE' });
  expect(codes(await replay('abc'))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await replay('999999'))).toEqual(['NOT_FOUND']);
});
