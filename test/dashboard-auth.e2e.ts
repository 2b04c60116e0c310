import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mintToken } from '@io/auth/mint';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/** The dashboard when auth is configured: it asks for a token, keeps it for the session, shows what the token may see. */
const secret = randomBytes(32).toString('base64url');
const LIVE_MS = 30_000;

let system: TestSystem;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  system = await startTestSystem({ AUTH_JWT_SECRET: secret });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

async function useToken(token: string): Promise<void> {
  await page.locator('#token-input').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.waitForLoadState('load');
}

test('without a token the page asks for one, naming what needs it', async () => {
  await page.goto(system.gatewayUrl);
  await page.locator('#token-form').waitFor({ state: 'visible', timeout: LIVE_MS });
  await expect(page.locator('#token-reason').textContent()).resolves.toMatch(
    /Query.dashboard(, [A-Za-z.]+)* requires? authentication/,
  );
});

test('with a viewer token it shows every panel and its live feeds, and keeps the token for the session', async () => {
  await useToken(await mintToken({ secret, role: 'viewer' }));
  await page.locator('#services tbody tr').first().waitFor({ timeout: LIVE_MS });
  await page.locator('#kafka-topics tbody tr').first().waitFor({ timeout: LIVE_MS });
  await waitFor(async () => (await page.locator('#connection').textContent()) === 'Live', LIVE_MS, 'the live feeds');
  await expect(page.locator('#token-form').isHidden()).resolves.toBe(true);
  await expect(page.locator('#problem').isHidden()).resolves.toBe(true);
  await page.reload();
  await page.locator('#services tbody tr').first().waitFor({ timeout: LIVE_MS });
  await expect(page.locator('#token-form').isHidden()).resolves.toBe(true);
});

test('a viewer sees open alerts without the acknowledge button; an admin token brings it back', async () => {
  const admin = await mintToken({ secret, role: 'admin' });
  const created = await system.graphql<{ createProduct: { id: string } }>(
    `mutation { createProduct(input: { name: "Viewed lamp", price: "1.00", stockQuantity: 1, minStockLevel: 0 }) { id } }`,
    {},
    admin,
  );
  const productId = created.data!.createProduct.id;
  const order = await system.graphql(
    `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
    {
      input: {
        orderType: 'SELL',
        customerName: 'Viewer test',
        customerEmail: 'viewer@example.com',
        items: [{ productId, quantity: 4, unitPrice: '1.00' }],
      },
    },
    admin,
  );
  expect(order.errors).toBeUndefined();
  const alert = page.locator('#alerts li').filter({ hasText: new RegExp(`product ${productId} \\(`) });
  await alert.waitFor({ timeout: LIVE_MS });
  await expect(alert.getByRole('button', { name: 'Acknowledge' }).count()).resolves.toBe(0);

  await page.getByRole('button', { name: 'Forget token' }).click();
  await page.waitForLoadState('load');
  await useToken(admin);
  await alert.getByRole('button', { name: 'Acknowledge' }).waitFor({ timeout: LIVE_MS });
});

test('with a customer token, what the customer may not see stays dimmed with the reason', async () => {
  await page.getByRole('button', { name: 'Forget token' }).click();
  await page.waitForLoadState('load');
  await page.locator('#token-form').waitFor({ state: 'visible', timeout: LIVE_MS });
  await useToken(await mintToken({ secret, email: 'ana@example.com' }));
  await page.locator('#problem').waitFor({ state: 'visible', timeout: LIVE_MS });
  await expect(page.locator('#problem').textContent()).resolves.toMatch(
    /monitor: not allowed: Query.dashboard requires the scope monitor:read/,
  );
  await expect(page.locator('#services').getAttribute('class')).resolves.toContain('stale');
});

// The page's HTTP query and its socket both learn it; whichever answers first names the reason.
test('a token that is not valid is refused and the page asks again', async () => {
  await page.getByRole('button', { name: 'Forget token' }).click();
  await page.waitForLoadState('load');
  await useToken(await mintToken({ secret: 'x'.repeat(40), role: 'admin' }));
  await page.locator('#token-form').waitFor({ state: 'visible', timeout: LIVE_MS });
  await expect(page.locator('#token-reason').textContent()).resolves.toMatch(
    /^(invalid credentials|live feeds: Unauthorized): the token signature is invalid$/,
  );
  expect(pageErrors).toEqual([]);
});
