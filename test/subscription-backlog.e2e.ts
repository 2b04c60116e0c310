import type { Client } from 'graphql-ws';
import { fixtures } from './support/fixtures';
import { adjustStockBurst, consecutive } from './support/stock-burst';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';
import { clientPool, subscribe, type TestSubscription } from './support/ws-client';

let system: TestSystem;
let f: ReturnType<typeof fixtures>;
const clients = clientPool(() => system.gatewayUrl);

beforeAll(async () => {
  system = await startTestSystem();
  f = fixtures(system);
});

afterEach(() => clients.disposeAll());

afterAll(async () => {
  await system?.close();
});

const client = (): Client => clients.open();

const burstSize = 1000;
// A burst of 1,000 stock adjustments takes most of a minute on a busy 2-core machine.
const burstTestTimeoutMs = 240_000;
const stockSubscription = `subscription ($productId: ID, $after: ID) {
  stockChanged(productId: $productId, after: $after) { eventId stockQuantity product { name } }
}`;

/** The stock quantity after the live subscription's last event, once it is live and quiet. */
async function primed(productId: string, subscription: TestSubscription): Promise<{ stock: number; eventId: string }> {
  await waitFor(
    async () => {
      await system.graphql(`mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: 1 }) { id } }`, {
        id: productId,
      });
      return subscription.received.length > 0;
    },
    20_000,
    'the subscription to be live',
  );
  await new Promise((settle) => setTimeout(settle, 500));
  const last = subscription.received.at(-1)!.data!.stockChanged;
  subscription.drain();
  return { stock: last.stockQuantity, eventId: last.eventId };
}

const untilReceived = (subscription: TestSubscription, count: number) =>
  waitFor(() => subscription.received.length >= count, 120_000, `${count} results`);

test(
  `a client that keeps up receives every event of a ${burstSize}-event burst, in order, with no drop announced`,
  async () => {
    const productId = await f.createProduct({ name: 'Burst lamp', stockQuantity: 0 });
    const subscription = subscribe(client(), stockSubscription, { productId });
    const { stock } = await primed(productId, subscription);
    subscription.received.length = 0;

    await adjustStockBurst(system, productId, burstSize);
    await untilReceived(subscription, burstSize);

    expect(subscription.received.map((result) => result.data!.stockChanged.stockQuantity)).toEqual(
      consecutive(stock + 1, burstSize),
    );
    expect(
      subscription.received.every(
        (result) => result.extensions === undefined && result.data!.stockChanged.product.name === 'Burst lamp',
      ),
    ).toBe(true);
    expect(system.gateway.subscriptionStats().droppedEvents).toBe(0);
    expect(system.gateway.subscriptionStats().windowBytes).toBeLessThanOrEqual(system.config.SUBSCRIPTION_WINDOW_BYTES);
  },
  burstTestTimeoutMs,
);

test(
  `a client resuming from ${burstSize} events back receives all ${burstSize}, in order, then live events`,
  async () => {
    const productId = await f.createProduct({ name: 'Resumed lamp', stockQuantity: 0 });
    const first = subscribe(client(), stockSubscription, { productId });
    const { stock, eventId } = await primed(productId, first);
    first.unsubscribe();

    await adjustStockBurst(system, productId, burstSize);
    const resumed = subscribe(client(), stockSubscription, { productId, after: eventId });
    await untilReceived(resumed, burstSize);
    await system.graphql(`mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: 1 }) { id } }`, {
      id: productId,
    });
    await untilReceived(resumed, burstSize + 1);

    expect(resumed.received.map((result) => result.data!.stockChanged.stockQuantity)).toEqual(
      consecutive(stock + 1, burstSize + 1),
    );
    expect(resumed.received.some((result) => result.extensions?.droppedEvents)).toBe(false);
  },
  burstTestTimeoutMs,
);
