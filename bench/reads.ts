import autocannon from 'autocannon';
import { measureAtFixedRate } from './fixed-rate';
import { hopHeader, signHop } from '@io/auth/hop';
import { developmentCaller } from '@io/auth/identity';
import type { BenchConfig } from './config';
import type { Reads } from './section';

const gatewayOrdersQuery = '{ orders(limit: 20) { id status items { quantity product { name stockQuantity } } } }';
const subgraphOrdersQuery = '{ orders(limit: 20) { id status items { quantity productId } } }';

export interface ReadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers plus connection errors and timeouts. */
  failures: number;
}

/** One autocannon run of a GraphQL query, closed loop with `connections` clients (fixed rates: fixed-rate.ts). */
async function measureQuery(
  url: string,
  query: string,
  options: { connections: number; seconds: number; warmUpSeconds: number; headers?: Record<string, string> },
): Promise<ReadResult> {
  return measureRequests(url, {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query }),
  });
}

async function measureRequests(
  url: string,
  options: {
    connections: number;
    seconds: number;
    /**
     * The same load first, not measured: the first seconds of a path are slower (V8 compiles its
     * code, the gateway plans the query, Prisma compiles its statements), and a path that an
     * earlier measurement did not take, such as the gateway's uncached one, would be measured cold.
     */
    warmUpSeconds: number;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<ReadResult> {
  const run = (seconds: number) =>
    autocannon({
      url,
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      connections: options.connections,
      duration: seconds,
      timeout: 10,
    });
  if (options.warmUpSeconds > 0) await run(options.warmUpSeconds);
  const result = await run(options.seconds);
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}

/** The query must answer data, not errors, before its speed means anything. */
async function assertQueryAnswers(
  url: string,
  query: string,
  field = 'orders',
  headers: Record<string, string> = {},
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const payload = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (!response.ok || payload.errors || !Array.isArray(payload.data?.[field])) {
    throw new Error(
      `${url} does not answer ${query}: HTTP ${response.status} ${JSON.stringify(payload.errors ?? payload).slice(0, 300)}`,
    );
  }
}

/** The same 20 orders through the gateway and from the orders subgraph alone, then the gateway at a fixed rate. */
export async function measureReads(config: BenchConfig, gatewayGraphql: string, ordersGraphql: string): Promise<Reads> {
  await assertQueryAnswers(gatewayGraphql, gatewayOrdersQuery);
  // The subgraph answers signed requests only: the bench signs its direct reads as the gateway would.
  const signed = { [hopHeader]: signHop(config.hopSecret, developmentCaller, 3600) };
  await assertQueryAnswers(ordersGraphql, subgraphOrdersQuery, 'orders', signed);
  const closedLoop = {
    connections: config.readConnections,
    seconds: config.readSeconds,
    warmUpSeconds: config.readWarmUpSeconds,
  };
  const fixedRate = { connections: 64, seconds: config.readSeconds, ratePerSecond: config.readFixedRate };
  return {
    gateway: await measureQuery(gatewayGraphql, gatewayOrdersQuery, closedLoop),
    gatewayUncached: await measureQuery(gatewayGraphql, gatewayOrdersQuery, { ...closedLoop, headers: noCache }),
    subgraph: await measureQuery(ordersGraphql, subgraphOrdersQuery, { ...closedLoop, headers: signed }),
    gatewayAtFixedRate: await measureAtFixedRate(gatewayGraphql, gatewayOrdersQuery, fixedRate),
    gatewayUncachedAtFixedRate: await measureAtFixedRate(gatewayGraphql, gatewayOrdersQuery, {
      ...fixedRate,
      headers: noCache,
    }),
  };
}

// Asks the gateway for an answer from the subgraphs: what every read costs when its data keeps changing.
const noCache = { 'cache-control': 'no-cache' };

const productListQuery = `{ products(limit: 20) { id name description price stockQuantity minStockLevel isLowStock stockLevel createdAt updatedAt } productCount }`;

/**
 * A page of 20 products with the count, side by side in one run: through the gateway over GraphQL
 * (answered from its cache, then with \`Cache-Control: no-cache\`), from the REST shim (both ways),
 * and from the inventory subgraph alone.
 */
export async function measureProductList(
  config: BenchConfig,
  gatewayUrl: string,
  inventoryGraphql: string,
): Promise<ProductListReads> {
  await assertQueryAnswers(`${gatewayUrl}/graphql`, productListQuery, 'products');
  // The subgraph answers signed requests only: the bench signs its direct reads as the gateway would.
  const signed = { [hopHeader]: signHop(config.hopSecret, developmentCaller, 3600) };
  await assertQueryAnswers(inventoryGraphql, productListQuery, 'products', signed);
  const closedLoop = {
    connections: config.readConnections,
    seconds: config.readSeconds,
    warmUpSeconds: config.readWarmUpSeconds,
  };
  const rest = `${gatewayUrl}/api/inventory/products?limit=20`;
  return {
    graphql: await measureQuery(`${gatewayUrl}/graphql`, productListQuery, closedLoop),
    graphqlUncached: await measureQuery(`${gatewayUrl}/graphql`, productListQuery, { ...closedLoop, headers: noCache }),
    rest: await measureRequests(rest, closedLoop),
    restUncached: await measureRequests(rest, { ...closedLoop, headers: noCache }),
    subgraph: await measureQuery(inventoryGraphql, productListQuery, { ...closedLoop, headers: signed }),
  };
}

export interface ProductListReads {
  graphql: ReadResult;
  graphqlUncached: ReadResult;
  rest: ReadResult;
  restUncached: ReadResult;
  subgraph: ReadResult;
}
