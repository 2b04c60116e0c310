import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { startRecordedGateway, type RecordedGateway } from './support/recorded-gateway';
import { waitFor } from './support/wait-for';
import { subscribe, wsClient } from './support/ws-client';

/** The attacks issue 9 found, each with the limit that must refuse it (before any subgraph is asked). */
const ordersBomb = 'orders(limit: 500) { items { product { name quantitySold } } }';
const aliased = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;
const chainedFragments = `query { ...F0 } ${Array.from({ length: 25 }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(' ')} fragment F25 on Query { productCount }`;
let deep = 'name';
for (let level = 0; level < 7; level += 1) deep = `movements { product { ${deep} } }`;

const attacks: [string, string, { code: string; limit?: string }][] = [
  ['25 chained fragment spreads', chainedFragments, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }],
  [
    '100 aliases of orders(limit: 500)',
    aliased(100, ordersBomb),
    { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' },
  ],
  ['7 aliases of orders(limit: 500)', aliased(7, ordersBomb), { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }],
  ['1,000 aliases of productCount', aliased(1000, 'productCount'), { code: 'GRAPHQL_PARSE_FAILED' }],
  ['10,000 aliases of __typename', aliased(10_000, '__typename'), { code: 'GRAPHQL_PARSE_FAILED' }],
  ['60 aliases of productCount', aliased(60, 'productCount'), { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' }],
  ['15 levels of nesting', `{ products { ${deep} } }`, { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }],
];

const postGraphQL = (url: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('with the default limits', () => {
  let system: RecordedGateway;
  const clients: Client[] = [];
  beforeAll(async () => {
    system = await startRecordedGateway();
  });
  afterAll(async () => {
    await Promise.all(clients.map(async (client) => client.dispose()));
    await system.close();
  });

  test('an operation within the limits reaches a subgraph (so the counter below can see one)', async () => {
    const before = system.subgraphCalls();
    const response = await postGraphQL(system.url, JSON.stringify({ query: '{ productCount }' }));
    expect(await response.json()).toEqual({ data: { productCount: 3 } });
    expect(system.subgraphCalls()).toBe(before + 1);
  });

  test.each(attacks)(
    '%s is refused over HTTP with 400 and its code; no subgraph is called',
    async (_name, query, expected) => {
      const before = system.subgraphCalls();
      const response = await postGraphQL(system.url, JSON.stringify({ query }));
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(response.status).toBe(400);
      expect(body.errors[0].extensions).toEqual(expected);
      expect(system.subgraphCalls()).toBe(before);
    },
  );

  test.each(attacks)(
    '%s is refused over WebSocket with its code; no subgraph is called',
    async (_name, query, expected) => {
      const before = system.subgraphCalls();
      const client = wsClient(system.url);
      clients.push(client);
      const result = subscribe(client, query);
      await result.completed;
      expect(result.received[0].errors?.[0].extensions).toEqual(expected);
      expect(system.subgraphCalls()).toBe(before);
    },
  );

  test('/health answers while every attack is sent 10 times at once', async () => {
    const flood = attacks.flatMap(([, query]) =>
      Array.from({ length: 10 }, () => postGraphQL(system.url, JSON.stringify({ query })).then((r) => r.status)),
    );
    const health = fetch(`${system.url}/health`).then(async (response) => ({
      status: response.status,
      body: await response.json(),
    }));
    const [statuses, answer] = await Promise.all([Promise.all(flood), health]);
    expect(new Set(statuses)).toEqual(new Set([400]));
    expect(answer).toMatchObject({ status: 200, body: { status: 'healthy' } });
  });

  test('a batch of operations in one HTTP request is refused', async () => {
    const before = system.subgraphCalls();
    const response = await postGraphQL(
      system.url,
      JSON.stringify([{ query: '{ productCount }' }, { query: '{ productCount }' }]),
    );
    expect(response.status).toBe(400);
    expect(system.subgraphCalls()).toBe(before);
  });

  test('malformed JSON, a bad gzip body, an unknown encoding and an oversized body get a coded 4xx JSON answer', async () => {
    const cases: [string | Buffer, Record<string, string>, number, string][] = [
      ['{"query": ', {}, 400, 'MALFORMED_JSON'],
      ['not gzip at all', { 'content-encoding': 'gzip' }, 400, 'MALFORMED_BODY'],
      ['{}', { 'content-encoding': 'br2' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [JSON.stringify({ query: `{ productCount } #${'x'.repeat(1_100_000)}` }), {}, 413, 'PAYLOAD_TOO_LARGE'],
      [
        gzipSync(JSON.stringify({ query: `{ productCount } #${'x'.repeat(1_100_000)}` })),
        { 'content-encoding': 'gzip' },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
    ];
    for (const [body, headers, status, code] of cases) {
      const response = await postGraphQL(system.url, body, headers);
      const text = await response.text();
      expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({
        status,
        type: expect.stringMatching(/^application\/json/),
      });
      expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
      expect(text).not.toMatch(/node_modules|\.ts:|\.js:|at /);
    }
  });
});

describe('rate limits per caller, origins and sockets per address', () => {
  let system: RecordedGateway;
  beforeAll(async () => {
    system = await startRecordedGateway({
      RATE_LIMIT_REQUESTS: '0',
      RATE_LIMIT_MUTATIONS: '2',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      ALLOWED_ORIGINS: 'https://ops.example.com',
      MAX_WS_CONNECTIONS_PER_ADDRESS: '2',
    });
  });
  afterAll(() => system.close());

  const upgrade = (headers: Record<string, string>) =>
    new Promise<{ status: number; socket?: WebSocket }>((resolve) => {
      const socket = new WebSocket(`${system.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers });
      socket.once('open', () => resolve({ status: 101, socket }));
      socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
    });
  const closed = (socket: WebSocket) => new Promise((resolve) => socket.once('close', resolve).close());

  test('mutations have their own, stricter budget: the third is 429 with Retry-After, over GraphQL and REST; queries go on', async () => {
    const mutation = JSON.stringify({ query: 'mutation { acknowledgeAlert(id: "1") { id } }' });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1) statuses.push((await postGraphQL(system.url, mutation)).status);
    const refused = await postGraphQL(system.url, mutation);
    const rest = await fetch(`${system.url}/api/inventory/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', price: 1 }),
    });
    const query = await postGraphQL(system.url, JSON.stringify({ query: '{ productCount }' }));

    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ errors: [{ extensions: { code: 'RATE_LIMITED' } }] });
    expect(rest.status).toBe(429);
    expect(rest.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await rest.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(query.status).toBe(200);
  });

  test('a WebSocket from another site is refused at the upgrade; same origin, a listed origin and no Origin are let in', async () => {
    const evil = await upgrade({ Origin: 'http://evil.example' });
    const listed = await upgrade({ Origin: 'https://ops.example.com' });
    await closed(listed.socket!);
    const same = await upgrade({ Origin: system.url });
    await closed(same.socket!);
    const none = await upgrade({});
    await closed(none.socket!);
    expect([evil.status, listed.status, same.status, none.status]).toEqual([403, 101, 101, 101]);
  });

  test('CORS headers go to listed origins only', async () => {
    const listed = await fetch(`${system.url}/graphql`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://ops.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    const evil = await fetch(`${system.url}/graphql`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an address may hold only so many sockets; the next upgrade is 429 until one closes', async () => {
    await waitFor(() => system.gateway.subscriptionStats().connections === 0, 10_000, 'earlier sockets to close');
    const first = await upgrade({});
    const second = await upgrade({});
    const third = await upgrade({});
    await closed(first.socket!);
    await waitFor(() => system.gateway.subscriptionStats().connections === 1, 10_000, 'the first socket to close');
    const fourth = await upgrade({});
    expect([first.status, second.status, third.status, fourth.status]).toEqual([101, 101, 429, 101]);
    await Promise.all([closed(second.socket!), closed(fourth.socket!)]);
  });
});

test('past its request budget a caller gets 429 on HTTP and REST, and its WebSocket is closed with 4429', async () => {
  const system = await startRecordedGateway({ RATE_LIMIT_REQUESTS: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
  try {
    const query = JSON.stringify({ query: '{ productCount }' });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await postGraphQL(system.url, query)).status);
    const rest = await fetch(`${system.url}/api/inventory/products`);
    const closedWith: number[] = [];
    const client = wsClient(system.url, { onClosed: (code) => closedWith.push(code) });
    const subscription = subscribe(client, 'subscription { stockChanged { eventId } }');
    await subscription.completed;
    await waitFor(() => closedWith.length > 0, 10_000, 'the socket to close');
    await client.dispose();

    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(rest.status).toBe(429);
    expect(closedWith).toEqual([4429]);
  } finally {
    await system.close();
  }
});
