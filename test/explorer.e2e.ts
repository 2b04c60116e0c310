import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mintToken } from '@io/auth/mint';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * GraphiQL at /graphiql in a real Chromium with every request to another host than this machine
 * aborted: the page must load and work from the gateway alone. Auth is configured, so the query
 * and the subscription succeed only with the token typed into the header editor.
 */
const secret = randomBytes(32).toString('base64url');
let system: TestSystem;
let browser: Browser;
let page: Page;
let productId: string;
const pageErrors: string[] = [];
const offHost: string[] = [];

const loopback = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return ['data:', 'blob:', 'about:'].includes(protocol) || ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
};

beforeAll(async () => {
  system = await startTestSystem({ AUTH_JWT_SECRET: secret });
  const admin = await mintToken({ secret, role: 'admin' });
  const created = await system.graphql<{ createProduct: { id: string } }>(
    'mutation { createProduct(input: { name: "Explored lamp", price: "5.00", stockQuantity: 40, minStockLevel: 0 }) { id } }',
    {},
    admin,
  );
  productId = created.data!.createProduct.id;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('websocket', (socket) => {
    if (!loopback(socket.url())) offHost.push(socket.url());
  });
  // The network is cut: anything for another host is recorded and aborted.
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (loopback(url)) await route.continue();
    else {
      offHost.push(url);
      await route.abort('internetdisconnected');
    }
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** The page's editors as CodeMirror 5 exposes them on their elements (Node's types have no DOM). */
interface CodeMirrorElement {
  CodeMirror: { setValue: (text: string) => void; getValue: () => string };
}
type PageGlobal = { document: { querySelectorAll: (css: string) => CodeMirrorElement[] } };

/**
 * Replaces the text of the editor matching `selector` through CodeMirror (GraphiQL 4's
 * editors), again until it holds (GraphiQL fills its editors in after they appear).
 */
async function setEditor(selector: string, text: string) {
  await page.locator(`${selector} >> visible=true`).first().waitFor();
  await waitFor(
    () =>
      page.evaluate(
        ([css, value]) => {
          const [editor] = (globalThis as unknown as PageGlobal).document.querySelectorAll(css);
          if (editor.CodeMirror.getValue() === value) return true;
          editor.CodeMirror.setValue(value);
          return false;
        },
        [selector, text],
      ),
    10_000,
    `the editor ${selector} to hold the text`,
    250,
  );
}

const response = () =>
  page.evaluate(() =>
    (globalThis as unknown as PageGlobal).document
      .querySelectorAll('.graphiql-response .CodeMirror')[0]
      .CodeMirror.getValue(),
  );

const run = async () => {
  await page.locator('.graphiql-execute-button').click();
};

test('GraphiQL loads from the gateway alone and runs a query and a subscription with a token from its header editor', async () => {
  const answer = await page.goto(`${system.gatewayUrl}/graphiql`);
  expect(answer!.status()).toBe(200);
  expect(answer!.headers()['content-security-policy']).toContain("default-src 'self'");
  await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });

  // No token yet: the gateway refuses the query.
  await setEditor('.graphiql-query-editor .CodeMirror', `{ product(id: "${productId}") { name stockQuantity } }`);
  await run();
  await waitFor(async () => (await response()).includes('UNAUTHENTICATED'), 30_000, 'the refusal');

  const admin = await mintToken({ secret, role: 'admin' });
  await page.getByRole('button', { name: 'Headers' }).click();
  // GraphiQL hides the inactive one of its two tool editors (variables, headers) with a class.
  await setEditor(
    '.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden) .CodeMirror',
    JSON.stringify({ Authorization: `Bearer ${admin}` }),
  );
  await run();
  await waitFor(async () => (await response()).includes('Explored lamp'), 30_000, 'the query result');
  expect(JSON.parse(await response())).toEqual({ data: { product: { name: 'Explored lamp', stockQuantity: 40 } } });

  // A subscription over the gateway's graphql-ws, the token sent as its connection parameters.
  await setEditor(
    '.graphiql-query-editor .CodeMirror',
    `subscription { stockChanged(productId: "${productId}") { quantityChange stockQuantity product { name } } }`,
  );
  await run();
  await waitFor(
    async () => {
      await system.graphql(
        `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
        { id: productId, change: 1 },
        admin,
      );
      return (await response()).includes('"stockQuantity"');
    },
    30_000,
    'a subscription result on the page',
    1000,
  );
  const shown = JSON.parse(await response()) as { data: { stockChanged: Record<string, unknown> } };
  expect(shown.data.stockChanged).toMatchObject({ quantityChange: 1, product: { name: 'Explored lamp' } });
  expect(shown.data.stockChanged.stockQuantity).toBeGreaterThan(40);

  expect(offHost).toEqual([]);
  expect(pageErrors.filter((message) => !/401|Unauthorized/.test(message))).toEqual([]);
}, 120_000);
