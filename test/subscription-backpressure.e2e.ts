import type WebSocket from 'ws';
import { fixtures } from './support/fixtures';
import { adjustStockBurst, consecutive } from './support/stock-burst';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { clientPool, subscribe } from './support/ws-client';

/** A window of about 60 stockChanged events, so that a stalled reader falls out of it quickly. */
const windowBytes = 16 * 1024;

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const clients = clientPool(() => system.gatewayUrl);

beforeAll(async () => {
  system = await startTestSystem({ SUBSCRIPTION_WINDOW_BYTES: String(windowBytes) });
  f = fixtures(system);
});

afterAll(async () => {
  await clients.disposeAll();
  await system?.close();
});

// Each result carries the 2,000-character description 30 times (about 60 kB), so the stalled
// client's unread results fill the kernel's socket buffers long before the burst ends. The burst
// stays short: a client that does not read does not answer the server's pings either, and is
// disconnected after 12 s.
const bulkySelection = `product { ${Array.from({ length: 30 }, (_, index) => `d${index}: description`).join(' ')} }`;
const burst = 200;

test('a client that stops reading loses the oldest events and is told, while a client that keeps up gets everything', async () => {
  const productId = await f.createProduct({ name: 'Contested lamp', stockQuantity: 0 });
  await system.graphql(
    `mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }`,
    { id: productId, input: { description: 'x'.repeat(2000) } },
  );
  let stalledSocket: WebSocket | undefined;
  const stalledClient = clients.open({
    onConnected: (socket) => {
      stalledSocket = socket;
    },
  });
  const fastClient = clients.open();
  const stalled = subscribe(
    stalledClient,
    `subscription ($productId: ID) { stockChanged(productId: $productId) { stockQuantity ${bulkySelection} } }`,
    { productId },
  );
  const fast = subscribe(
    fastClient,
    `subscription ($productId: ID) { stockChanged(productId: $productId) { stockQuantity } }`,
    { productId },
  );
  await waitFor(
    async () => {
      await system.graphql(`mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: 1 }) { id } }`, {
        id: productId,
      });
      return stalled.received.length > 0 && fast.received.length > 0;
    },
    20_000,
    'both subscriptions live',
  );
  await new Promise((settle) => setTimeout(settle, 500));
  const stock = fast.received.at(-1)!.data!.stockChanged.stockQuantity as number;
  fast.received.length = 0;
  stalled.received.length = 0;

  stalledSocket!.pause();
  await adjustStockBurst(system, productId, burst, 16);
  await waitFor(() => fast.received.length >= burst, 60_000, 'the fast client to receive the burst');
  stalledSocket!.resume();
  const announced = await waitFor(
    () => stalled.received.find((result) => result.extensions?.droppedEvents),
    30_000,
    'a drop announcement',
  );

  expect(fast.received.map((result) => result.data!.stockChanged.stockQuantity)).toEqual(consecutive(stock + 1, burst));
  expect(fast.received.some((result) => result.extensions?.droppedEvents)).toBe(false);
  expect(announced.extensions!.droppedEvents).toBeGreaterThan(0);
  expect(stalled.received.length).toBeLessThan(burst);
  expect(system.gateway.subscriptionStats().windowBytes).toBeLessThanOrEqual(windowBytes);
}, 180_000); // its own waits add up to 110 s (both live, the burst, the announcement) besides the burst itself
