import { orderCreated, stockLevelChanged, topics } from '@io/events/catalog';
import { createEnvelope } from '@io/events/envelope';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const quietMs = 5000;

beforeAll(async () => {
  system = await startTestSystem({ PROCESSING_ERROR_RESOLVE_AFTER_MS: String(quietMs) });
  f = fixtures(system);
});

afterAll(async () => {
  await system?.close();
});

const alertFields = 'id alertType severity state source message entityType entityId raisedAt acknowledgedAt resolvedAt';

interface AlertView {
  id: string;
  alertType: string;
  severity: string;
  state: string;
  source: string;
  message: string;
  entityType: string | null;
  entityId: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

async function alerts(filter: Record<string, unknown> = {}, limit = 500, offset = 0): Promise<AlertView[]> {
  const { data, errors } = await system.graphql<{ alerts: AlertView[] }>(
    `query ($filter: AlertFilter, $limit: Int, $offset: Int) { alerts(filter: $filter, limit: $limit, offset: $offset) { ${alertFields} } }`,
    { filter, limit, offset },
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return data!.alerts;
}

const alertsAbout = async (entityType: string, entityId: string) =>
  (await alerts()).filter((alert) => alert.entityType === entityType && alert.entityId === entityId);

/** The alerts table as PostgreSQL holds it, in the API's shape and order. */
async function alertRows(where = 'TRUE', params: unknown[] = []): Promise<AlertView[]> {
  const rows = await f.sql<Record<string, any>>(
    `SELECT * FROM monitor.alerts WHERE ${where} ORDER BY raised_at DESC, id DESC`,
    params,
  );
  const iso = (value: Date | null) => value?.toISOString() ?? null;
  return rows.map((row) => ({
    id: String(row.id),
    alertType: row.alert_type,
    severity: row.severity,
    state: row.state,
    source: row.source,
    message: row.message,
    entityType: row.entity_type,
    entityId: row.entity_id,
    raisedAt: iso(row.raised_at)!,
    acknowledgedAt: iso(row.acknowledged_at),
    resolvedAt: iso(row.resolved_at),
  }));
}

const announcedAlertIds = async () =>
  (
    await f.sql<{ alert_id: string }>(
      `SELECT payload->'data'->>'alertId' AS alert_id FROM monitor.outbox_events WHERE topic = 'alert-raised'`,
    )
  )
    .map((row) => row.alert_id)
    .filter((id, index, ids) => ids.indexOf(id) === index)
    .sort();

test('stock falling below its minimum raises one LOW_STOCK alert, kept single while low, resolved when replenished', async () => {
  const productId = await f.createProduct({ name: 'Lamp', stockQuantity: 10, minStockLevel: 5 });

  await f.adjustStock(productId, -6);
  const [raised] = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found.length > 0 && found;
    },
    20_000,
    'a LOW_STOCK alert',
  );
  expect(raised).toEqual({
    id: expect.any(String),
    alertType: 'LOW_STOCK',
    severity: 'WARNING',
    state: 'OPEN',
    source: 'inventory',
    message: 'Lamp is low on stock: 4 left, minimum 5',
    entityType: 'Product',
    entityId: productId,
    raisedAt: expect.any(String),
    acknowledgedAt: null,
    resolvedAt: null,
  });

  // Still low, and the same condition announced again (a fresh event id): no second alert, the
  // open one counts the sighting and takes its message.
  await f.adjustStock(productId, -1);
  const repeat = createEnvelope(stockLevelChanged, {
    productId: Number(productId),
    productName: 'Lamp',
    previousLevel: 'OK' as const,
    level: 'LOW' as const,
    stockQuantity: 3,
    minStockLevel: 5,
    stockVersion: 99,
  });
  await f.publishRaw(topics.stockLevelChanged, productId, JSON.stringify(repeat));
  await waitFor(
    async () => (await f.sql(`SELECT 1 FROM monitor.processed_events WHERE event_id = $1`, [repeat.id])).length === 1,
    20_000,
    'the repeat to be consumed',
  );
  expect(await alertsAbout('Product', productId)).toEqual([
    { ...raised, message: 'Lamp is low on stock: 3 left, minimum 5' },
  ]);
  const [{ count }] = await f.sql<{ count: number }>(`SELECT count FROM monitor.alerts WHERE id = $1`, [raised.id]);
  expect(count).toBe(2);

  await f.adjustStock(productId, 10);
  const [resolved] = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found[0]?.state === 'RESOLVED' && found;
    },
    20_000,
    'the LOW_STOCK alert to resolve',
  );
  expect(resolved).toEqual({
    ...raised,
    message: 'Lamp is low on stock: 3 left, minimum 5',
    state: 'RESOLVED',
    resolvedAt: expect.any(String),
  });
  expect(await alertRows('entity_id = $1', [productId])).toEqual([resolved]);
});

test('stock reaching zero raises OUT_OF_STOCK; stock back above zero but under its minimum turns it into LOW_STOCK', async () => {
  const productId = await f.createProduct({ name: 'Kettle', stockQuantity: 3, minStockLevel: 2 });

  expect(await f.waitForStatus(await f.createOrder('SELL', [{ productId, quantity: 3 }]))).toBe('CONFIRMED');
  const [out] = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found.length > 0 && found;
    },
    20_000,
    'an OUT_OF_STOCK alert',
  );
  expect(out).toMatchObject({
    alertType: 'OUT_OF_STOCK',
    severity: 'CRITICAL',
    state: 'OPEN',
    message: 'Kettle is out of stock',
    resolvedAt: null,
  });

  await f.adjustStock(productId, 1);
  const after = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found.length === 2 && found[1].state === 'RESOLVED' && found;
    },
    20_000,
    'OUT_OF_STOCK resolved and LOW_STOCK raised',
  );
  expect(after).toEqual([
    expect.objectContaining({
      alertType: 'LOW_STOCK',
      severity: 'WARNING',
      state: 'OPEN',
      message: 'Kettle is low on stock: 1 left, minimum 2',
    }),
    { ...out, state: 'RESOLVED', resolvedAt: expect.any(String) },
  ]);

  // The product behind an alert is resolved by inventory through the gateway.
  const { data } = await system.graphql<{
    alert: { product: { id: string; name: string; stockQuantity: number }; order: null };
  }>(`query ($id: ID!) { alert(id: $id) { product { id name stockQuantity } order { id } } }`, { id: after[0].id });
  expect(data!.alert).toEqual({ product: { id: productId, name: 'Kettle', stockQuantity: 1 }, order: null });
});

test('a rejected order raises an ORDER_REJECTED alert about its product and reason, resolved by inventory', async () => {
  const productId = await f.createProduct({ name: 'Scarce', stockQuantity: 1 });
  const orderId = await f.createOrder('SELL', [{ productId, quantity: 5 }]);
  expect(await f.waitForStatus(orderId)).toBe('REJECTED');

  const [alert] = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found.length > 0 && found;
    },
    20_000,
    'an ORDER_REJECTED alert',
  );
  expect(alert).toEqual({
    id: expect.any(String),
    alertType: 'ORDER_REJECTED',
    severity: 'WARNING',
    state: 'OPEN',
    source: 'inventory',
    message: `orders rejected for product ${productId} (not enough stock); latest: order ${orderId}: product ${productId}: 5 wanted, 1 in stock`,
    entityType: 'Product',
    entityId: productId,
    raisedAt: expect.any(String),
    acknowledgedAt: null,
    resolvedAt: null,
  });
  const { data } = await system.graphql<{ alert: { order: null; product: { name: string }; count: number } }>(
    `query ($id: ID!) { alert(id: $id) { order { id } product { name } count } }`,
    { id: alert.id },
  );
  expect(data!.alert).toEqual({ order: null, product: { name: 'Scarce' }, count: 1 });
});

test('poison messages raise one PROCESSING_ERROR per consumer group and topic, resolved once the dead letters stop', async () => {
  const poison = () =>
    JSON.stringify({
      ...createEnvelope(orderCreated, {
        orderId: 1,
        orderType: 'SELL' as const,
        items: [{ productId: 1, quantity: 1 }],
      }),
      data: { orderId: 'x' },
    });
  const processingErrors = () => alerts({ alertType: 'PROCESSING_ERROR' });

  await f.publishRaw(topics.orderCreated, '1', poison());
  await f.publishRaw(topics.orderCreated, '2', poison());
  await waitFor(
    async () =>
      Number(
        (
          await f.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM monitor.processed_events WHERE topic = 'dead-letters'`,
          )
        )[0].n,
      ) === 2,
    20_000,
    'both dead letters to reach the monitor',
  );
  const [open] = await processingErrors();
  expect(await processingErrors()).toEqual([
    {
      id: expect.any(String),
      alertType: 'PROCESSING_ERROR',
      severity: 'CRITICAL',
      state: 'OPEN',
      source: 'inventory',
      message: expect.stringMatching(
        /^inventory-service dead-lettered a message of order-created \(partition \d+, offset \d+\) that could not be read: bad OrderCreated payload/,
      ),
      entityType: null,
      entityId: null,
      raisedAt: expect.any(String),
      acknowledgedAt: null,
      resolvedAt: null,
    },
  ]);

  const [resolved] = await waitFor(
    async () => {
      const found = await processingErrors();
      return found[0]?.state === 'RESOLVED' && found;
    },
    quietMs + 10_000,
    'the PROCESSING_ERROR alert to resolve',
  );
  expect(resolved).toEqual({ ...open, state: 'RESOLVED', resolvedAt: expect.any(String) });

  // A new dead letter after that is a new problem.
  await f.publishRaw(topics.orderCreated, '3', poison());
  const found = await waitFor(
    async () => {
      const all = await processingErrors();
      return all.length === 2 && all;
    },
    20_000,
    'a second PROCESSING_ERROR alert',
  );
  expect(found.map((alert) => alert.state)).toEqual(['OPEN', 'RESOLVED']);
});

test('acknowledging: OPEN becomes ACKNOWLEDGED, again changes nothing, a resolved alert is a conflict, unknown and bad ids are refused', async () => {
  const productId = await f.createProduct({ name: 'Mug', stockQuantity: 1, minStockLevel: 0 });
  await f.adjustStock(productId, -1);
  const [alert] = await waitFor(
    async () => {
      const found = await alertsAbout('Product', productId);
      return found.length > 0 && found;
    },
    20_000,
    'an alert to acknowledge',
  );
  const acknowledge = (id: string) =>
    system.graphql<{ acknowledgeAlert: AlertView }>(
      `mutation ($id: ID!) { acknowledgeAlert(id: $id) { ${alertFields} } }`,
      { id },
    );

  const first = await acknowledge(alert.id);
  expect(first).toEqual({
    data: { acknowledgeAlert: { ...alert, state: 'ACKNOWLEDGED', acknowledgedAt: expect.any(String) } },
  });
  expect(await acknowledge(alert.id)).toEqual(first);

  // An acknowledged alert still resolves on its own when the condition clears.
  await f.adjustStock(productId, 5);
  await waitFor(
    async () => (await alertsAbout('Product', productId))[0].state === 'RESOLVED',
    20_000,
    'the acknowledged alert to resolve',
  );
  const conflict = await acknowledge(alert.id);
  expect(conflict.data).toBeNull();
  expect(conflict.errors!.map((error) => error.extensions?.code)).toEqual(['CONFLICT']);

  const unknown = await acknowledge('999999');
  expect(unknown.errors!.map((error) => [error.extensions?.code, error.message])).toEqual([
    ['NOT_FOUND', 'Alert 999999 not found'],
  ]);
  const bad = await acknowledge('abc');
  expect(bad.errors!.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
});

test('alerts filter by state, severity and type, page newest first and count as PostgreSQL holds them; every alert raised is announced', async () => {
  const products = await Promise.all(
    ['A', 'B', 'C'].map((name) => f.createProduct({ name, stockQuantity: 4, minStockLevel: 2 })),
  );
  for (const productId of products) await f.adjustStock(productId, -3);
  // Wait for these three products' alerts (earlier tests may have left other LOW_STOCK alerts open).
  await waitFor(
    async () =>
      (await Promise.all(products.map((id) => alertsAbout('Product', id)))).every((found) => found.length > 0),
    20_000,
    'a LOW_STOCK alert for each of the three products',
  );

  const everything = await alertRows();
  expect(await alerts()).toEqual(everything);
  const cases: [Record<string, string>, string][] = [
    [{ alertType: 'LOW_STOCK' }, `alert_type = 'LOW_STOCK'`],
    [{ state: 'RESOLVED' }, `state = 'RESOLVED'`],
    [{ severity: 'CRITICAL', state: 'RESOLVED' }, `severity = 'CRITICAL' AND state = 'RESOLVED'`],
    [
      { alertType: 'LOW_STOCK', state: 'OPEN', severity: 'WARNING' },
      `alert_type = 'LOW_STOCK' AND state = 'OPEN' AND severity = 'WARNING'`,
    ],
  ];
  for (const [filter, where] of cases) {
    const expected = await alertRows(where);
    expect(await alerts(filter)).toEqual(expected);
    const { data } = await system.graphql<{ alertCount: number }>(
      `query ($filter: AlertFilter) { alertCount(filter: $filter) }`,
      { filter },
    );
    expect(data!.alertCount).toBe(expected.length);
  }
  expect(await alerts({}, 2, 1)).toEqual(everything.slice(1, 3));
  expect(await alerts({}, 2, everything.length)).toEqual([]);

  expect(await announcedAlertIds()).toEqual(everything.map((alert) => alert.id).sort());
  const topic = `${system.config.KAFKA_TOPIC_PREFIX}${topics.alertRaised}`;
  const admin = system.services.monitor.kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      async () =>
        (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0) ===
        Number(
          (
            await f.sql<{ n: string }>(`SELECT count(*) AS n FROM monitor.outbox_events WHERE topic = 'alert-raised'`)
          )[0].n,
        ),
      20_000,
      'every alert-raised event on Kafka',
    );
  } finally {
    await admin.disconnect();
  }
});
