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
const primingOrders: string[] = [];

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
      primingOrders.push(await f.createOrder('SELL', [{ productId: '999999', quantity: 1 }]));
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

interface OrderMinute {
  minute: string;
  created: number;
  confirmed: number;
  rejected: number;
  cancelled: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

test("the dashboard's timeline counts the race's orders per minute by outcome with their latency, and the lag samples", async () => {
  const timeline = async (minutes?: number) => {
    const { data, errors } = await system.graphql<{
      dashboard: {
        orderTimeline: OrderMinute[];
        consumerLag: { at: string; groups: { groupId: string; lag: number }[] }[];
      };
    }>(
      `query ($minutes: Int) {
        dashboard {
          orderTimeline(minutes: $minutes) { minute created confirmed rejected cancelled latencyP50Ms latencyP99Ms }
          consumerLag(minutes: $minutes) { at groups { groupId lag } }
        }
      }`,
      minutes === undefined ? {} : { minutes },
    );
    if (errors) throw new Error(JSON.stringify(errors));
    return data!.dashboard;
  };
  const { orderTimeline, consumerLag } = await timeline();

  // Fifteen consecutive minutes, oldest first, the current one last.
  expect(orderTimeline).toHaveLength(15);
  const starts = orderTimeline.map((entry) => new Date(entry.minute).getTime());
  expect(starts.slice(1).map((start, index) => start - starts[index])).toEqual(Array(14).fill(60_000));
  expect(starts[14]).toBeLessThanOrEqual(Date.now());
  expect(starts[14]).toBeGreaterThan(Date.now() - 120_000);

  const sum = (field: 'created' | 'confirmed' | 'rejected' | 'cancelled') =>
    orderTimeline.reduce((total, entry) => total + entry[field], 0);
  expect(sum('created')).toBe(400 + primingOrders.length);
  expect(sum('confirmed')).toBe(80);
  expect(sum('rejected')).toBe(320 + primingOrders.length);
  expect(sum('cancelled')).toBe(0);
  for (const entry of orderTimeline) {
    const decided = entry.confirmed + entry.rejected + entry.cancelled;
    if (decided === 0) expect([entry.latencyP50Ms, entry.latencyP99Ms]).toEqual([null, null]);
    else {
      expect(entry.latencyP50Ms).toBeGreaterThan(0);
      expect(entry.latencyP99Ms).toBeGreaterThanOrEqual(entry.latencyP50Ms!);
    }
  }

  // The monitor samples the lag of every group on its interval, oldest first.
  expect(consumerLag.length).toBeGreaterThan(0);
  const times = consumerLag.map((sample) => new Date(sample.at).getTime());
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(consumerLag.at(-1)!.groups.map((group) => group.groupId)).toEqual(
    expect.arrayContaining(['inventory-service', 'orders-service', 'monitor-service']),
  );

  // The window is whole minutes within [1, 60].
  expect((await timeline(0)).orderTimeline).toHaveLength(1);
  expect((await timeline(1000)).orderTimeline).toHaveLength(60);
});
