import type { Client } from 'graphql-ws';
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

afterEach(() => clients.disposeAll());

afterAll(async () => {
  await system?.close();
});

const client = (): Client => clients.open();

const adjust = (productId: string, change: number) =>
  system.graphql(
    `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
    { id: productId, change },
  );

/**
 * Resolves once the subscription is live (subscribing is asynchronous): stock changes of +1 until
 * one arrives, a quiet moment for those still in flight, then everything received so far is skipped.
 */
async function primed(productId: string, subscription: ReturnType<typeof subscribe>) {
  await waitFor(
    async () => {
      await adjust(productId, 1);
      return subscription.received.length > 0;
    },
    20_000,
    'the subscription to be live',
  );
  await new Promise((settle) => setTimeout(settle, 500));
  subscription.drain();
}

const stockSubscription = `subscription ($productId: ID, $after: ID) {
  stockChanged(productId: $productId, after: $after) { eventId productId quantityChange stockQuantity movementType product { name stockQuantity } }
}`;

test('an order status subscriber receives each change with fields owned by orders and by inventory', async () => {
  const productId = await f.createProduct({ name: 'Subscribed lamp', stockQuantity: 10 });
  const subscription = subscribe(
    client(),
    `subscription {
    orderStatusChanged { eventId orderId from to order { orderType items { quantity product { name quantitySold } } } }
  }`,
  );
  const probe = subscribe(client(), stockSubscription, { productId });
  await primed(productId, probe);

  const orderId = await f.createOrder('SELL', [{ productId, quantity: 3 }]);
  const created = await subscription.next();
  const confirmed = await subscription.next();

  expect(created).toEqual({
    data: {
      orderStatusChanged: {
        eventId: expect.any(String),
        orderId,
        from: null,
        to: 'PENDING',
        order: {
          orderType: 'SELL',
          items: [{ quantity: 3, product: { name: 'Subscribed lamp', quantitySold: expect.any(Number) } }],
        },
      },
    },
  });
  expect(confirmed).toEqual({
    data: {
      orderStatusChanged: {
        eventId: expect.any(String),
        orderId,
        from: 'PENDING',
        to: 'CONFIRMED',
        order: { orderType: 'SELL', items: [{ quantity: 3, product: { name: 'Subscribed lamp', quantitySold: 3 } }] },
      },
    },
  });
});

test('subscribers only receive events matching their arguments', async () => {
  const watched = await f.createProduct({ name: 'Watched', stockQuantity: 5 });
  const other = await f.createProduct({ name: 'Other', stockQuantity: 5 });
  const subscription = subscribe(client(), stockSubscription, { productId: watched });
  await primed(watched, subscription);

  await adjust(other, 2);
  await adjust(watched, -4);

  expect(await subscription.next()).toEqual({
    data: {
      stockChanged: {
        eventId: expect.any(String),
        productId: watched,
        quantityChange: -4,
        stockQuantity: expect.any(Number),
        movementType: 'ADJUSTMENT',
        product: { name: 'Watched', stockQuantity: expect.any(Number) },
      },
    },
  });
  await adjust(watched, 3);
  expect((await subscription.next()).data!.stockChanged.quantityChange).toBe(3);
});

test('a client that reconnects with the last event id it saw first receives what it missed, in order, then live events', async () => {
  const productId = await f.createProduct({ stockQuantity: 100 });
  const first = subscribe(client(), stockSubscription, { productId });
  await primed(productId, first);
  await adjust(productId, -1);
  const lastSeen = (await first.next()).data!.stockChanged.eventId;
  first.unsubscribe();

  for (const change of [-2, -3, -4]) await adjust(productId, change);
  const resumed = subscribe(client(), stockSubscription, { productId, after: lastSeen });

  const missed = [await resumed.next(), await resumed.next(), await resumed.next()];
  expect(missed.map((result) => result.data!.stockChanged.quantityChange)).toEqual([-2, -3, -4]);
  await adjust(productId, 5);
  expect((await resumed.next()).data!.stockChanged.quantityChange).toBe(5);
});

test('resuming from an event the gateway does not hold is refused with a clear error, not silently live', async () => {
  const subscription = subscribe(client(), stockSubscription, { after: '00000000-0000-4000-8000-000000000000' });

  await subscription.completed;
  expect(subscription.received).toEqual([
    { errors: [expect.objectContaining({ message: expect.stringContaining('not within the resume window') })] },
  ]);
});

test('many subscribers with the same selection are served by one federated query per event', async () => {
  const productId = await f.createProduct({ stockQuantity: 50 });
  const subscriptions = Array.from({ length: 25 }, () => subscribe(client(), stockSubscription, { productId }));
  const different = subscribe(
    client(),
    `subscription ($productId: ID) { stockChanged(productId: $productId) { product { price } } }`,
    { productId },
  );
  await waitFor(
    async () => {
      await adjust(productId, -1);
      return [...subscriptions, different].every((subscription) => subscription.received.length > 0);
    },
    20_000,
    'all subscriptions live',
  );
  await new Promise((settle) => setTimeout(settle, 500));
  for (const subscription of [...subscriptions, different]) subscription.received.length = 0;
  const before = system.gateway.subscriptionStats().entityQueries;

  await adjust(productId, -10);
  const results = await Promise.all(
    subscriptions.map((subscription) =>
      waitFor(
        () => subscription.received.find((result) => result.data?.stockChanged.quantityChange === -10),
        20_000,
        'the event',
      ),
    ),
  );
  await waitFor(() => different.received.length > 0, 20_000, 'the other selection');

  expect(new Set(results.map((result) => JSON.stringify(result))).size).toBe(1);
  expect(results[0].data!.stockChanged.product.stockQuantity).toBeLessThanOrEqual(40);
  expect(different.received[0]).toEqual({ data: { stockChanged: { product: { price: '10.00' } } } });
  expect(system.gateway.subscriptionStats().entityQueries - before).toBe(2);
});

test('closed sockets leave no subscription, listener or connection behind', async () => {
  const productId = await f.createProduct({ stockQuantity: 5 });
  const subscriptions = [
    subscribe(client(), stockSubscription, { productId }),
    subscribe(client(), `subscription { orderStatusChanged { to } }`),
  ];
  await primed(productId, subscriptions[0]);
  expect(system.gateway.subscriptionStats()).toMatchObject({ activeSubscriptions: 2, hubListeners: 2, connections: 2 });

  await clients.disposeAll();

  await waitFor(() => system.gateway.subscriptionStats().connections === 0, 10_000, 'sockets to close');
  expect(system.gateway.subscriptionStats()).toMatchObject({ activeSubscriptions: 0, hubListeners: 0, connections: 0 });
});

test('operations deeper than the limit are refused over WebSocket and HTTP alike', async () => {
  const deep = `subscription { stockChanged { product { movements { product { movements { product { movements { product { movements { product { movements { product { name } } } } } } } } } } } } }`;
  const subscription = subscribe(client(), deep);
  await subscription.completed;
  const http = await system.graphql(deep.replace('subscription', 'query').replace('stockChanged', 'products'));

  const refusal = { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' };
  expect(subscription.received[0].errors?.[0]).toMatchObject({
    message: expect.stringMatching(/depth limit of 12/),
    extensions: refusal,
  });
  expect(http.errors?.[0]).toMatchObject({ message: expect.stringMatching(/depth limit of 12/), extensions: refusal });
});

test('an alert subscriber filtered by type receives the monitor alert with the product resolved by inventory', async () => {
  const productId = await f.createProduct({ name: 'Alerting widget', stockQuantity: 10, minStockLevel: 5 });
  const subscription = subscribe(
    client(),
    `subscription {
    alertRaised(alertType: LOW_STOCK) { eventId alert { alertType severity state product { id name stockQuantity } } }
  }`,
  );
  const probe = subscribe(client(), stockSubscription, { productId });
  await primed(productId, probe);

  await adjust(productId, -8);
  await adjust(productId, -1);

  expect(await subscription.next()).toEqual({
    data: {
      alertRaised: {
        eventId: expect.any(String),
        alert: {
          alertType: 'LOW_STOCK',
          severity: 'WARNING',
          state: 'OPEN',
          product: { id: productId, name: 'Alerting widget', stockQuantity: expect.any(Number) },
        },
      },
    },
  });
  await new Promise((settle) => setTimeout(settle, 1000));
  expect(subscription.received).toHaveLength(1);
});
