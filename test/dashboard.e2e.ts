import { chromium, type Browser, type Locator, type Page, type WebSocketRoute } from 'playwright-core';
import { healthOrder } from '@io/registry';
import { fixtures } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

const LIVE_MS = 30_000;

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The page's WebSocket goes through this proxy, so a test can cut it and refuse reconnects. */
const socket = {
  offline: false,
  current: undefined as WebSocketRoute | undefined,
  subscribes: [] as { query: string; variables?: Record<string, unknown> }[],
};

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/WebSocket/.test(message.text())) pageErrors.push(message.text());
  });
  await page.routeWebSocket(/\/graphql$/, (ws) => {
    if (socket.offline) {
      void ws.close({ code: 1013, reason: 'Try again later' });
      return;
    }
    socket.current = ws;
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const parsed = JSON.parse(String(message));
      if (parsed.type === 'subscribe') socket.subscribes.push(parsed.payload);
      server.send(message);
    });
  });
  await page.goto(system.gatewayUrl);
  // Subscribing is asynchronous and the gateway's Kafka consumer joins on its own time: the page is
  // live once a stock change made now shows in its feed.
  const productId = await f.createProduct({ name: 'Warm-up', stockQuantity: 100 });
  await waitFor(
    async () => {
      await adjust(productId, -1);
      return (await page.locator('#feed-stock li[data-product-id]').count()) > 0;
    },
    LIVE_MS,
    'the stock feed to be live',
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const adjust = async (productId: string, change: number) => {
  const { errors } = await system.graphql(
    `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
    { id: productId, change },
  );
  if (errors) throw new Error(JSON.stringify(errors));
};

const rowOf = (table: Locator, name: string) =>
  table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('the page serves its assets under a strict content security policy and nothing else of the package', async () => {
  const root = await fetch(`${system.gatewayUrl}/`);
  const client = await fetch(`${system.gatewayUrl}/dashboard/vendor/graphql-ws/client.js`);
  const outside = await fetch(`${system.gatewayUrl}/dashboard/vendor/graphql-ws/..%2fpackage.json`);

  expect(root.status).toBe(200);
  expect(root.headers.get('content-type')).toMatch(/^text\/html/);
  expect(root.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(client.status).toBe(200);
  expect(client.headers.get('content-type')).toMatch(/javascript/);
  expect(outside.status).toBe(404);
});

test('the page shows service health, Kafka figures, order statistics and links to the APIs', async () => {
  await expect(page.title()).resolves.toBe('Inventory & Orders · Operations');
  await page.locator('#services tbody tr').first().waitFor();
  for (const service of [...healthOrder, 'kafka', 'postgres']) {
    await rowOf(page.locator('#services'), service).getByText('Healthy').waitFor({ timeout: LIVE_MS });
  }
  await rowOf(page.locator('#kafka-topics'), 'stock-changed').waitFor();
  await page
    .locator('#card-products dd')
    .filter({ hasText: /^[1-9]/ })
    .waitFor();
  await expect(page.locator('#connection').textContent()).resolves.toBe('Live');

  const links = await page
    .getByRole('navigation', { name: 'APIs and tools' })
    .getByRole('link')
    .evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
  expect(links).toEqual(['/graphql', '/graphiql', '/api/docs', '/api/openapi.json', '/health']);
});

test("a new order's status changes and its stock change appear live, and the figures follow", async () => {
  const productId = await f.createProduct({ name: 'Live desk lamp', stockQuantity: 20, minStockLevel: 2 });
  const ordersBefore = Number((await page.locator('#card-orders dd').textContent())?.replace(/\D/g, '') || 0);

  const orderId = await f.createOrder('SELL', [{ productId, quantity: 3 }]);

  const orderItems = page.locator(`#feed-orders li[data-order-id="${orderId}"]`);
  await orderItems.filter({ hasText: 'Pending → Confirmed' }).waitFor({ timeout: LIVE_MS });
  await expect(orderItems.allTextContents()).resolves.toEqual([
    expect.stringMatching(/Order #\d+ Sell Pending → Confirmed\s*Test customer · 30\.00/),
    expect.stringMatching(/Order #\d+ Sell Pending\s*Test customer · 30\.00/),
  ]);
  await page
    .locator(`#feed-stock li[data-product-id="${productId}"]`)
    .filter({ hasText: 'Live desk lamp -3 → 17' })
    .waitFor({ timeout: LIVE_MS });
  await page
    .locator('#card-orders dd')
    .filter({ hasText: String(ordersBefore + 1) })
    .waitFor({ timeout: LIVE_MS });
});

test('stock below its minimum lists the product as low and raises a LOW_STOCK alert live; user data shows as text', async () => {
  const name = `<img src=x onerror="window.__injected=1"><script>window.__injected=2</script>Crate`;
  const productId = await f.createProduct({ name, stockQuantity: 10, minStockLevel: 5 });

  await adjust(productId, -7);

  const lowRow = rowOf(page.locator('#low-stock'), name);
  await lowRow.waitFor({ timeout: LIVE_MS });
  await expect(lowRow.locator('td').allTextContents()).resolves.toEqual(['3', '5']);
  const alert = page.locator('#feed-alerts li').filter({ hasText: 'Low stock' }).filter({ hasText: 'Crate' });
  await alert.waitFor({ timeout: LIVE_MS });
  await page
    .locator('#alerts li')
    .filter({ hasText: 'Low stock' })
    .filter({ hasText: 'Crate' })
    .waitFor({ timeout: LIVE_MS });
  await expect(alert.locator('.message').textContent()).resolves.toContain('<script>window.__injected=2</script>');
  await page.screenshot({ path: '/tmp/dashboard.png', fullPage: true });

  await expect(page.evaluate(() => (globalThis as { __injected?: number }).__injected)).resolves.toBeUndefined();
  await expect(page.locator('main img, main script').count()).resolves.toBe(0);
});

test('after the connection drops, the feeds resume after the last event seen: nothing missed, nothing twice', async () => {
  const productId = await f.createProduct({ name: 'Resumed crate', stockQuantity: 100 });
  const feedItems = page.locator(`#feed-stock li[data-product-id="${productId}"]`);
  await adjust(productId, -1);
  await feedItems.filter({ hasText: '-1 → 99' }).waitFor({ timeout: LIVE_MS });
  const lastSeen = await page.locator('#feed-stock li').first().getAttribute('data-event-id');
  const subscribesBefore = socket.subscribes.length;

  socket.offline = true;
  await socket.current!.close({ code: 1012, reason: 'Service Restart' });
  await page.locator('#connection').filter({ hasText: 'Reconnecting…' }).waitFor();
  for (const change of [-2, -3, -4]) await adjust(productId, change);
  socket.offline = false;

  await page.locator('#connection').filter({ hasText: 'Live' }).waitFor({ timeout: LIVE_MS });
  await feedItems.filter({ hasText: '-4 → 90' }).waitFor({ timeout: LIVE_MS });
  await adjust(productId, 5);
  await feedItems.filter({ hasText: '+5 → 95' }).waitFor({ timeout: LIVE_MS });

  const changes = (await feedItems.allTextContents()).map((text) => text.match(/Resumed crate ([+-]\d+)/)?.[1]);
  expect(changes).toEqual(['+5', '-4', '-3', '-2', '-1', '+100']);
  const resumed = socket.subscribes.slice(subscribesBefore).find((payload) => payload.query.includes('stockChanged'));
  expect(resumed?.variables?.after).toBe(lastSeen);
});

test('the charts draw the last 15 minutes from the orders timeline and the lag samples', async () => {
  const productId = await f.createProduct({ name: 'Charted mug', stockQuantity: 2 });
  const confirmed = await f.createOrder('SELL', [{ productId, quantity: 1 }]);
  const rejected = await f.createOrder('SELL', [{ productId, quantity: 5 }]);
  expect(await f.waitForStatus(confirmed)).toBe('CONFIRMED');
  expect(await f.waitForStatus(rejected)).toBe('REJECTED');

  const drawn = async (selector: string) => ({
    points: Number(await page.locator(selector).getAttribute('data-points')),
    total: Number(await page.locator(selector).getAttribute('data-total')),
  });
  await waitFor(
    async () => (await drawn('#chart-orders')).total >= 2 && (await drawn('#chart-lag')).points >= 2,
    LIVE_MS,
    'the charts to show orders and two lag samples',
  );
  // One point per minute; every outcome and the creations are counted, latencies are drawn.
  expect((await drawn('#chart-orders')).points).toBe(15);
  expect((await drawn('#chart-latency')).total).toBeGreaterThan(0);
  for (const chart of ['#chart-orders', '#chart-latency', '#chart-lag']) {
    await expect(page.locator(`${chart} canvas`).count()).resolves.toBe(1);
  }
  await expect(page.locator('#chart-orders .u-legend').textContent()).resolves.toMatch(
    /Created.*Confirmed.*Rejected.*Cancelled/,
  );
  await expect(page.locator('#chart-lag .u-legend').textContent()).resolves.toContain('monitor-service');
});

test('an open alert shows how many orders it groups and can be acknowledged from the page (development mode is admin)', async () => {
  const productId = await f.createProduct({ name: 'Acknowledged kettle', stockQuantity: 1 });
  const orders = await Promise.all(
    Array.from({ length: 6 }, () => f.createOrder('SELL', [{ productId, quantity: 1 }])),
  );
  await f.waitForAllProcessed(orders);
  // One confirmed, five rejected: one alert that says ×5.
  const alert = page
    .locator('#alerts li')
    .filter({ hasText: 'Order rejected' })
    .filter({ hasText: new RegExp(`product ${productId} \\(`) });
  await alert.filter({ hasText: '×5' }).waitFor({ timeout: LIVE_MS });
  await expect(alert.count()).resolves.toBe(1);
  const button = alert.getByRole('button', { name: 'Acknowledge' });
  await button.waitFor({ timeout: LIVE_MS });
  await page.locator('#charts').scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/dashboard-charts.png', fullPage: true });

  const alertId = await alert.getAttribute('data-alert-id');
  await button.click();
  await alert.filter({ hasText: 'acknowledged' }).waitFor({ timeout: LIVE_MS });
  const { data } = await system.graphql<{ alert: { state: string } }>(`query ($id: ID!) { alert(id: $id) { state } }`, {
    id: alertId,
  });
  expect(data!.alert.state).toBe('ACKNOWLEDGED');
  await expect(alert.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);
});

test('the page raised no script error and no content security policy violation', () => {
  expect(pageErrors).toEqual([]);
});

test('when a subgraph is down the page says so, keeps the other figures and shows the SERVICE_DOWN alert', async () => {
  await system.stop('orders');
  try {
    await page.locator('#orders.stale').waitFor({ timeout: LIVE_MS });
    await expect(page.locator('#problem').textContent()).resolves.toMatch(
      /^Some figures could not be refreshed.*orders:/,
    );
    await rowOf(page.locator('#services'), 'orders').getByText('Down').waitFor({ timeout: LIVE_MS });
    await page
      .locator('#feed-alerts li')
      .filter({ hasText: 'Service down' })
      .filter({ hasText: 'orders is down' })
      .waitFor({ timeout: LIVE_MS });
    await expect(page.locator('#services.stale, #low-stock.stale').count()).resolves.toBe(0);
  } finally {
    await system.start('orders');
  }
  await page.locator('#problem').waitFor({ state: 'hidden', timeout: LIVE_MS });
  await expect(page.locator('#orders.stale').count()).resolves.toBe(0);
});
