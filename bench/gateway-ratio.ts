/**
 * The gateway's cost over the subgraph behind it, measured side by side in one run:
 *   npx tsx bench/gateway-ratio.ts [--baseline <dir>] [--cpu-prof <dir>] [--seconds 10] [--rounds 2]
 * Creates a throwaway database and topic prefix with test/support/test-system.ts, seeds 50 products
 * and 200 orders through it, then runs the `npm start` shape: each subgraph and the gateway its own
 * process, for this checkout and optionally for a baseline checkout at <dir> (with its own
 * node_modules and generated files) on the same database. Then, with autocannon, per round and
 * per checkout: 16 closed-loop clients on its orders subgraph alone, then on its gateway (the ratio
 * of the two is the figure); at the end 200 req/s open-loop on each gateway for its latency.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { hopHeader, signHop } from '@io/auth/hop';
import { developmentCaller } from '@io/auth/identity';
import { loadConfig } from '@io/config';
import { adminUser, embeddedCredentialsEnv } from '../scripts/kafka/credentials';
import { startTestSystem, type TestSystem } from '../test/support/test-system';
import { cpuSeconds, startProcess, stopProcess, type Process } from './support/processes';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' },
    'cpu-prof': { type: 'string' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
  },
});
const seconds = Number(args.seconds);
const gatewayQuery = '{ orders(limit: 20) { id status items { quantity product { name stockQuantity } } } }';
const subgraphQuery = '{ orders(limit: 20) { id status items { quantity productId } } }';

async function seed(system: TestSystem): Promise<void> {
  const products: string[] = [];
  for (let index = 0; index < 50; index += 1) {
    const { data } = await system.graphql<{ createProduct: { id: string } }>(
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { name: `Bench product ${index}`, price: '10.00', stockQuantity: 1_000_000, minStockLevel: 0 } },
    );
    products.push(data!.createProduct.id);
  }
  for (let index = 0; index < 200; index += 1) {
    const items = [0, 1, 2].map((offset) => ({
      productId: products[(index + offset * 7) % products.length],
      quantity: 1,
      unitPrice: '10.00',
    }));
    await system.graphql('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
      input: { orderType: 'SELL', customerName: 'Bench', customerEmail: 'bench@example.com', items },
    });
  }
}

interface Measured {
  requests: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Runs `measure` and returns, with its result, each process's CPU milliseconds per request served. */
async function withCpu(
  processes: Record<string, Process>,
  measure: () => Promise<Measured>,
): Promise<Measured & { cpuMs: Record<string, number> }> {
  const before = Object.fromEntries(
    Object.entries(processes).map(([name, started]) => [name, cpuSeconds(started.child)]),
  );
  const measured = await measure();
  const cpuMs = Object.fromEntries(
    Object.entries(processes).map(([name, started]) => [
      name,
      Number((((cpuSeconds(started.child) - before[name]) * 1000) / measured.total).toFixed(2)),
    ]),
  );
  return { ...measured, cpuMs };
}

async function load(
  url: string,
  query: string,
  options: { connections: number; overallRate?: number; hop?: string },
): Promise<Measured> {
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    // A subgraph answers signed requests only: the direct load signs like the gateway does.
    headers: { 'content-type': 'application/json', ...(options.hop ? { [hopHeader]: options.hop } : {}) },
    body: JSON.stringify({ query }),
    duration: seconds,
    connections: options.connections,
    overallRate: options.overallRate,
  });
  return {
    requests: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  // The embedded broker's admin for this process and the ones it starts (jest's global setup does this for tests).
  Object.assign(process.env, embeddedCredentialsEnv(loadConfig(), adminUser));
  const system = await startTestSystem({ LOG_LEVEL: 'warn' });
  const processes: Process[] = [];
  try {
    await seed(system);
    const hopSecret = system.config.SUBGRAPH_HOP_SECRET!;
    const shared = {
      DATABASE_URL: system.config.DATABASE_URL,
      KAFKA_TOPIC_PREFIX: system.config.KAFKA_TOPIC_PREFIX,
      SUBGRAPH_HOP_SECRET: hopSecret,
    };
    const hop = signHop(hopSecret, developmentCaller, 24 * 3600);
    for (const name of ['inventory', 'orders', 'monitor'] as const) await system.stop(name);
    const checkouts = [{ label: 'current', dir: resolve(__dirname, '..') }];
    if (args.baseline) checkouts.push({ label: 'baseline', dir: resolve(args.baseline) });
    const stacks: { label: string; orders: Process; inventory: Process; gateway: Process }[] = [];
    for (const { label, dir } of checkouts) {
      const subgraphUrls: Record<string, string> = {};
      const started: Record<string, Process> = {};
      for (const name of ['inventory', 'orders', 'monitor'] as const) {
        started[name] = await startProcess(
          `${label}-${name}`,
          dir,
          args['cpu-prof'],
          `subgraphs/${name}/src/index.ts`,
          shared,
        );
        processes.push(started[name]);
        subgraphUrls[`${name.toUpperCase()}_URL`] = `${started[name].url}/graphql`;
      }
      const gateway = await startProcess(`${label}-gateway`, dir, args['cpu-prof'], 'gateway/src/index.ts', {
        ...shared,
        ...subgraphUrls,
      });
      processes.push(gateway);
      stacks.push({ label, orders: started.orders, inventory: started.inventory, gateway });
    }
    for (const stack of stacks) {
      // warm-up: JIT, query plans, connections
      await load(stack.orders.url, subgraphQuery, { connections: 4, hop });
      await load(stack.gateway.url, gatewayQuery, { connections: 4 });
    }

    const rows: string[] = [
      '| round | checkout | orders subgraph req/s | gateway req/s | ratio | gateway p50 / p99 ms | CPU ms per direct request: orders | CPU ms per gateway request: gateway / orders / inventory | errors |',
      '|---|---|---|---|---|---|---|---|---|',
    ];
    for (let round = 1; round <= Number(args.rounds); round += 1) {
      for (const stack of stacks) {
        const measured = { gateway: stack.gateway, orders: stack.orders, inventory: stack.inventory };
        const subgraph = await withCpu(measured, () => load(stack.orders.url, subgraphQuery, { connections: 16, hop }));
        const gateway = await withCpu(measured, () => load(stack.gateway.url, gatewayQuery, { connections: 16 }));
        rows.push(
          `| ${round} | ${stack.label} | ${subgraph.requests} | ${gateway.requests} | ${(gateway.requests / subgraph.requests).toFixed(2)} | ${gateway.p50} / ${gateway.p99} | ${subgraph.cpuMs.orders} | ${gateway.cpuMs.gateway} / ${gateway.cpuMs.orders} / ${gateway.cpuMs.inventory} | ${subgraph.errors + gateway.errors} |`,
        );
      }
    }
    rows.push(
      '',
      '| checkout | gateway offered req/s | served req/s | p50 ms | p99 ms | errors |',
      '|---|---|---|---|---|---|',
    );
    for (const stack of stacks) {
      const measured = await load(stack.gateway.url, gatewayQuery, { connections: 16, overallRate: 200 });
      rows.push(
        `| ${stack.label} | 200 | ${measured.requests} | ${measured.p50} | ${measured.p99} | ${measured.errors} |`,
      );
    }
    console.log(rows.join('\n'));
  } finally {
    for (const started of processes.reverse()) await stopProcess(started);
    await system.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
