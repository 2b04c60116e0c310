import { randomBytes } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { createClient } from 'graphql-sse';
import { mintToken } from '@io/auth/mint';
import { openSse } from './support/sse-client';
import { startTestSystem, type TestSystem } from './support/test-system';
import { waitFor } from './support/wait-for';

/**
 * Subscriptions over HTTP: Server-Sent Events (graphql-sse) at /graphql/stream and Apollo's
 * multipart protocol on /graphql, served by the engine graphql-ws uses, on a real system with auth
 * configured, so customers' isolation and the limits are those of production.
 */
const secret = randomBytes(32).toString('base64url');
const ana = 'ana@example.com';
const bob = 'bob@example.com';
const tokens = { admin: '', ana: '', bob: '' };
let system: TestSystem;
let productId: string;
let streamUrl: string;

beforeAll(async () => {
  system = await startTestSystem({
    AUTH_JWT_SECRET: secret,
    // Low enough to reach in a test; every transport counts against it.
    MAX_WS_CONNECTIONS_PER_ADDRESS: '6',
    MAX_QUERY_DEPTH: '4',
  });
  streamUrl = `${system.gatewayUrl}/graphql/stream`;
  tokens.admin = await mintToken({ secret, role: 'admin' });
  tokens.ana = await mintToken({ secret, email: ana });
  tokens.bob = await mintToken({ secret, email: bob });
  const created = await system.graphql<{ createProduct: { id: string } }>(
    'mutation { createProduct(input: { name: "Streamed lamp", price: "5.00", stockQuantity: 100000, minStockLevel: 0 }) { id } }',
    {},
    tokens.admin,
  );
  productId = created.data!.createProduct.id;
}, 120_000);

afterAll(async () => {
  await system?.close();
});

async function orderAs(token: string, email: string): Promise<string> {
  const { data, errors } = await system.graphql<{ createOrder: { id: string } }>(
    `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }`,
    {
      input: {
        orderType: 'SELL',
        customerName: 'Customer',
        customerEmail: email,
        items: [{ productId, quantity: 1, unitPrice: '5.00' }],
      },
    },
    token,
  );
  if (errors) throw new Error(JSON.stringify(errors));
  return data!.createOrder.id;
}

const adjust = (change: number) =>
  system.graphql(
    `mutation ($id: ID!, $change: Int!) { adjustStock(productId: $id, input: { quantityChange: $change }) { id } }`,
    { id: productId, change },
    tokens.admin,
  );

const statusQuery = `subscription { orderStatusChanged { eventId orderId from to order { id status } } }`;

interface StatusEvent {
  eventId: string;
  orderId: string;
  from: string | null;
  to: string;
  order: { id: string; status: string; customerEmail?: string } | null;
}

/**
 * Subscribing is asynchronous: orders are placed until one of them reaches `received`, so the
 * subscription is live before the order a test watches is placed.
 */
async function primeWithOrders(received: () => StatusEvent[], token = tokens.admin, email = ana) {
  await waitFor(
    async () => {
      await orderAs(token, email);
      return received().length > 0;
    },
    30_000,
    'the subscription to be live',
    1000,
  );
}

const transitionsOf = (events: StatusEvent[], orderId: string) =>
  events.filter((event) => event.orderId === orderId).map((event) => `${event.from ?? ''}->${event.to}`);

test("SSE with graphql-sse's own client: an order's status changes, with the order read through the gateway", async () => {
  const client = createClient({
    url: streamUrl,
    headers: { authorization: `Bearer ${tokens.admin}` },
    retryAttempts: 0,
  });
  const events: StatusEvent[] = [];
  const errors: unknown[] = [];
  const dispose = client.subscribe<{ orderStatusChanged: StatusEvent }>(
    { query: statusQuery },
    {
      next: (result) => {
        if (result.errors) errors.push(result.errors);
        if (result.data) events.push(result.data.orderStatusChanged);
      },
      error: (error) => errors.push(error),
      complete: () => undefined,
    },
  );
  try {
    await primeWithOrders(() => events);
    const orderId = await orderAs(tokens.admin, ana);
    await waitFor(() => transitionsOf(events, orderId).length >= 2, 30_000, 'the order to be confirmed');
    expect(transitionsOf(events, orderId)).toEqual(['->PENDING', 'PENDING->CONFIRMED']);
    expect(events.find((event) => event.orderId === orderId && event.to === 'CONFIRMED')!.order).toEqual({
      id: orderId,
      status: 'CONFIRMED',
    });
    expect(errors).toEqual([]);
  } finally {
    dispose();
    client.dispose();
  }
});

test('SSE: every event carries its event id as the SSE id', async () => {
  const stream = await openSse(streamUrl, { query: statusQuery }, { authorization: `Bearer ${tokens.admin}` });
  try {
    expect(stream.status).toBe(200);
    await primeWithOrders(() => stream.results().map((result) => result.data.orderStatusChanged));
    const nexts = stream.messages.filter((message) => message.event === 'next');
    expect(nexts.length).toBeGreaterThan(0);
    for (const message of nexts) expect(message.id).toBe(message.data.data.orderStatusChanged.eventId);
  } finally {
    stream.abort();
  }
});

test("SSE: a customer's stream never carries another customer's events", async () => {
  const query = `subscription { orderStatusChanged { eventId orderId from to order { id status customerEmail } } }`;
  const anaStream = await openSse(streamUrl, { query }, { authorization: `Bearer ${tokens.ana}` });
  const staff = await openSse(streamUrl, { query }, { authorization: `Bearer ${tokens.admin}` });
  const eventsOf = (stream: typeof staff) =>
    stream.results().map((result) => result.data.orderStatusChanged as StatusEvent);
  try {
    await primeWithOrders(() => eventsOf(anaStream), tokens.ana, ana);
    await primeWithOrders(() => eventsOf(staff));
    const bobOrder = await orderAs(tokens.bob, bob);
    const anaOrder = await orderAs(tokens.ana, ana);
    // Staff see both orders settle; by then Ana's stream has had every event it could see.
    await waitFor(
      () =>
        transitionsOf(eventsOf(staff), bobOrder).length >= 2 && transitionsOf(eventsOf(staff), anaOrder).length >= 2,
      30_000,
      'both orders to settle',
    );
    await waitFor(() => transitionsOf(eventsOf(anaStream), anaOrder).length >= 2, 30_000, "Ana's events");
    await new Promise((settle) => setTimeout(settle, 500));
    expect(transitionsOf(eventsOf(anaStream), anaOrder)).toEqual(['->PENDING', 'PENDING->CONFIRMED']);
    expect(transitionsOf(eventsOf(anaStream), bobOrder)).toEqual([]);
    // Nothing of anyone else's, earlier tests' orders included: every order Ana's stream shows is hers.
    expect(new Set(eventsOf(anaStream).map((event) => event.order?.customerEmail))).toEqual(new Set([ana]));
    expect(eventsOf(anaStream).length).toBeLessThan(eventsOf(staff).length);
  } finally {
    anaStream.abort();
    staff.abort();
  }
});

test('SSE: a client that reconnects with Last-Event-ID gets the events it missed, without a gap', async () => {
  const query = `subscription ($productId: ID) { stockChanged(productId: $productId) { eventId stockQuantity quantityChange } }`;
  const auth = { authorization: `Bearer ${tokens.admin}` };
  const first = await openSse(streamUrl, { query, variables: { productId } }, auth);
  const changes = (stream: typeof first) => stream.results().map((result) => result.data.stockChanged);
  await waitFor(
    async () => {
      await adjust(1);
      return changes(first).length > 0;
    },
    30_000,
    'the stream to be live',
    1000,
  );
  await new Promise((settle) => setTimeout(settle, 500));
  first.abort();
  await first.ended;
  const last = first.messages.filter((message) => message.event === 'next').at(-1)!;
  const lastChange = last.data.data.stockChanged;

  // Missed while disconnected: three changes, each applied (and so published) before the next.
  for (let i = 0; i < 3; i += 1) expect((await adjust(1)).errors).toBeUndefined();
  const resumed = await openSse(streamUrl, { query, variables: { productId } }, { ...auth, 'last-event-id': last.id! });
  try {
    await waitFor(() => changes(resumed).length >= 3, 30_000, 'the missed events');
    const missed = changes(resumed).slice(0, 3);
    expect(missed.map((change: { stockQuantity: number }) => change.stockQuantity)).toEqual([
      lastChange.stockQuantity + 1,
      lastChange.stockQuantity + 2,
      lastChange.stockQuantity + 3,
    ]);
    expect(missed.map((change: { eventId: string }) => change.eventId)).not.toContain(lastChange.eventId);
  } finally {
    resumed.abort();
  }
});

test('multipart with Apollo Client\'s HttpLink: an order\'s status changes arrive as {"payload": ...} parts', async () => {
  const client = new ApolloClient({
    link: new HttpLink({ uri: `${system.gatewayUrl}/graphql`, headers: { authorization: `Bearer ${tokens.admin}` } }),
    cache: new InMemoryCache(),
  });
  const events: StatusEvent[] = [];
  const errors: unknown[] = [];
  const subscription = client.subscribe<{ orderStatusChanged: StatusEvent }>({ query: gql(statusQuery) }).subscribe({
    next: (result) => {
      if (result.error) errors.push(result.error);
      if (result.data) events.push(result.data.orderStatusChanged);
    },
    error: (error: unknown) => errors.push(error),
  });
  try {
    await primeWithOrders(() => events);
    const orderId = await orderAs(tokens.admin, ana);
    await waitFor(() => transitionsOf(events, orderId).length >= 2, 30_000, 'the order to be confirmed');
    expect(transitionsOf(events, orderId)).toEqual(['->PENDING', 'PENDING->CONFIRMED']);
    expect(events.find((event) => event.orderId === orderId && event.to === 'CONFIRMED')!.order).toMatchObject({
      id: orderId,
      status: 'CONFIRMED',
    });
    expect(errors).toEqual([]);
  } finally {
    subscription.unsubscribe();
    client.stop();
  }
});

test('multipart on the wire: the content type, payload-wrapped parts and {} heartbeats', async () => {
  const controller = new AbortController();
  const response = await fetch(`${system.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'multipart/mixed;subscriptionSpec="1.0", application/json',
      authorization: `Bearer ${tokens.admin}`,
    },
    body: JSON.stringify({ query: statusQuery }),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"');
  let body = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) body += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  })();
  const parts = () =>
    body
      .split('\r\n--graphql')
      .slice(1)
      .filter((part) => part.includes('\r\n\r\n'))
      .map((part) => JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4)) as Record<string, any>);
  try {
    const orderId = await orderAs(tokens.admin, ana);
    // A heartbeat comes every 5 s; the order's events meanwhile.
    await waitFor(
      () =>
        parts().some((part) => Object.keys(part).length === 0) &&
        parts().some((part) => part.payload?.data?.orderStatusChanged?.orderId === orderId),
      30_000,
      'a heartbeat and an event',
    );
    for (const part of parts()) {
      if (Object.keys(part).length === 0) continue;
      expect(Object.keys(part)).toEqual(['payload']);
      expect(part.payload.data.orderStatusChanged).toEqual(expect.objectContaining({ eventId: expect.any(String) }));
    }
  } finally {
    controller.abort();
    await reading;
  }
});

test('the HTTP transports apply the limits and authorization of graphql-ws', async () => {
  const multipart = (query: string, token?: string) =>
    fetch(`${system.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'multipart/mixed;subscriptionSpec="1.0", application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query }),
    });
  // Alerts are for staff: a customer is refused before any stream opens.
  const alerts = 'subscription { alertRaised { eventId } }';
  const refused = await multipart(alerts, tokens.ana);
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
  const anonymous = await openSse(streamUrl, { query: alerts });
  await anonymous.ended;
  expect(anonymous.results()[0].errors[0].extensions.code).toBe('UNAUTHENTICATED');
  // A forged token is refused at the door, as on /graphql.
  const forged = await fetch(`${streamUrl}?query=${encodeURIComponent(alerts)}`, {
    headers: { accept: 'text/event-stream', authorization: 'Bearer not-a-token' },
  });
  expect(forged.status).toBe(401);
  // Too deep for this system's MAX_QUERY_DEPTH (4): the operation gate's depth limit.
  const tooDeep = `subscription { orderStatusChanged { order { items { product { name } } } } }`;
  const deepStream = await openSse(streamUrl, { query: tooDeep }, { authorization: `Bearer ${tokens.admin}` });
  await deepStream.ended;
  expect(deepStream.results()[0].errors[0].extensions).toMatchObject({
    code: 'GRAPHQL_VALIDATION_FAILED',
    limit: 'depth',
  });
  // Connections per address: six streams (of any transport) fill this address's share.
  const open = await Promise.all(
    Array.from({ length: 6 }, () =>
      openSse(streamUrl, { query: statusQuery }, { authorization: `Bearer ${tokens.admin}` }),
    ),
  );
  try {
    expect(open.map((stream) => stream.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const seventh = await multipart(statusQuery, tokens.admin);
    expect(seventh.status).toBe(429);
    const eighth = await fetch(`${streamUrl}?query=${encodeURIComponent(statusQuery)}`, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${tokens.admin}` },
    });
    expect(eighth.status).toBe(429);
  } finally {
    for (const stream of open) stream.abort();
  }
});
