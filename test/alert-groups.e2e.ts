import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { clientPool, subscribe } from './support/ws-client';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const clients = clientPool(() => system.gatewayUrl);

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterAll(async () => {
  await clients.disposeAll();
  await system?.close();
});

interface OpenAlert {
  id: string;
  alertType: string;
  entityId: string | null;
  count: number;
  message: string;
  raisedAt: string;
  lastSeenAt: string;
}

const openAlerts = async (): Promise<OpenAlert[]> => {
  const { data, errors } = await system.graphql<{ dashboard: { openAlerts: OpenAlert[]; openAlertCount: number } }>(
    `{ dashboard { openAlerts(limit: 100) { id alertType entityId count message raisedAt lastSeenAt } openAlertCount } }`,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  expect(data!.dashboard.openAlertCount).toBe(data!.dashboard.openAlerts.length);
  return data!.dashboard.openAlerts;
};

/** `total` SELL orders of one unit each, `concurrency` in flight at a time. */
async function race(productId: string, total: number, concurrency: number): Promise<string[]> {
  const ids: string[] = [];
  const worker = async () => {
    while (ids.length < total) {
      const slot = ids.push('') - 1;
      ids[slot] = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

test('a 400-order race against a stock of 80 leaves a handful of open alerts, each counting the orders it covers', async () => {
  const productId = await f.createProduct({ name: 'Flash sale', stockQuantity: 80, minStockLevel: 10 });
  const subscription = subscribe(
    clients.open(),
    `subscription { alertRaised(alertType: ORDER_REJECTED) { eventId repeated count alert { id entityId count } } }`,
  );
  // The subscription is live once a rejection of an unknown product reaches it.
  await waitFor(
    async () => {
      await f.createOrder('SELL', [{ productId: '999999', quantity: 1 }]);
      return subscription.received.length > 0;
    },
    20_000,
    'the alert subscription to be live',
  );

  const ids = await race(productId, 400, 16);
  const statuses = await f.waitForAllProcessed(ids, 120_000);
  expect(statuses.filter((status) => status === 'CONFIRMED')).toHaveLength(80);
  expect(statuses.filter((status) => status === 'REJECTED')).toHaveLength(320);

  const alerts = await waitFor(
    async () => {
      const open = await openAlerts();
      const rejections = open.find((alert) => alert.alertType === 'ORDER_REJECTED' && alert.entityId === productId);
      return rejections?.count === 320 && open;
    },
    30_000,
    'the rejections counted on one alert',
  );
  // One alert per cause: the product's rejections, the unknown product's, its stock running out.
  expect(alerts.length).toBeLessThanOrEqual(5);
  const rejections = alerts.find((alert) => alert.alertType === 'ORDER_REJECTED' && alert.entityId === productId)!;
  expect(rejections.message).toMatch(
    new RegExp(`^orders rejected for product ${productId} \\(not enough stock\\); latest: order \\d+`),
  );
  expect(new Date(rejections.lastSeenAt).getTime()).toBeGreaterThan(new Date(rejections.raisedAt).getTime());
  expect(alerts.filter((alert) => alert.alertType === 'ORDER_REJECTED')).toHaveLength(2);
  expect(alerts).toContainEqual(expect.objectContaining({ alertType: 'OUT_OF_STOCK', entityId: productId, count: 1 }));

  // The subscription heard of the group as it grew: raised once, then repeats up to 320, far fewer
  // announcements than orders (one per batch the monitor consumed).
  const ofProduct = await waitFor(
    () => {
      const events = subscription.received
        .map((result) => result.data?.alertRaised)
        .filter((event) => event?.alert.entityId === productId);
      return events.at(-1)?.count === 320 && events;
    },
    20_000,
    'the alert subscription to announce the count of 320',
  );
  expect(ofProduct.filter((event) => !event.repeated)).toHaveLength(1);
  expect(new Set(ofProduct.map((event) => event.alert.id))).toEqual(new Set([rejections.id]));
  const counts = ofProduct.map((event) => event.count);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(ofProduct.length).toBeLessThan(320);

  // The REST shim shows the count too.
  const response = await fetch(`${system.gatewayUrl}/api/monitor/alerts?alert_type=ORDER_REJECTED&state=OPEN`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { items: { entity_id: string; count: number; last_seen_at: string }[] };
  expect(body.items).toContainEqual(
    expect.objectContaining({ entity_id: productId, count: 320, last_seen_at: rejections.lastSeenAt }),
  );
}, 240_000);
