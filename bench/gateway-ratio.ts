/**
 * The gateway's cost over the subgraph behind it, measured side by side in one run:
 *   npx tsx bench/gateway-ratio.ts [--baseline <dir>] [--cpu-prof <dir>] [--seconds 10] [--rounds 2]
 * Creates a throwaway database and topic prefix with test/support/test-system.ts, seeds 50 products
 * and 200 orders through it, then runs the `npm start` shape: each subgraph and each gateway its
 * own process (this checkout's gateway, and optionally a baseline checkout's at <dir>), then with
 * autocannon: 16 closed-loop clients on the orders subgraph alone and on each gateway, in
 * alternating rounds, then 200 req/s open-loop on each gateway for its latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../test/support/free-port';
import { startTestSystem, type TestSystem } from '../test/support/test-system';
import { waitFor } from '../test/support/wait-for';

const { values: args } = parseArgs({
  options: {
    baseline: { type: 'string' }, 'cpu-prof': { type: 'string' },
    seconds: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' },
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
      { input: { name: `Bench product ${index}`, price: '10.00', stockQuantity: 1_000_000, minStockLevel: 0 } });
    products.push(data!.createProduct.id);
  }
  for (let index = 0; index < 200; index += 1) {
    const items = [0, 1, 2].map((offset) => ({ productId: products[(index + offset * 7) % products.length], quantity: 1, unitPrice: '10.00' }));
    await system.graphql('mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { orderType: 'SELL', customerName: 'Bench', customerEmail: 'bench@example.com', items } });
  }
}

interface Process { label: string; url: string; child: ChildProcess }

async function startProcess(label: string, dir: string, entry: string, env: Record<string, string>): Promise<Process> {
  const port = await freePort();
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'], label)}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    cwd: dir,
    env: { ...process.env, LOG_LEVEL: 'warn', INVENTORY_PORT: String(port), ORDERS_PORT: String(port), MONITOR_PORT: String(port), GATEWAY_PORT: String(port), ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health`)).ok, 60_000, `the ${label} process`);
  return { label, url, child };
}

interface Measured { requests: number; p50: number; p99: number; errors: number }

async function load(url: string, query: string, options: { connections: number; overallRate?: number }): Promise<Measured> {
  const result = await autocannon({
    url: `${url}/graphql`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }),
    duration: seconds, connections: options.connections, overallRate: options.overallRate,
  });
  return { requests: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const system = await startTestSystem({ LOG_LEVEL: 'warn' });
  const processes: Process[] = [];
  try {
    await seed(system);
    const root = resolve(__dirname, '..');
    const shared = { DATABASE_URL: system.config.DATABASE_URL, KAFKA_TOPIC_PREFIX: system.config.KAFKA_TOPIC_PREFIX };
    const subgraphUrls: Record<string, string> = {};
    for (const name of ['inventory', 'orders', 'monitor'] as const) {
      await system.stop(name);
      const started = await startProcess(name, root, `subgraphs/${name}/src/index.ts`, shared);
      processes.push(started);
      subgraphUrls[`${name.toUpperCase()}_URL`] = `${started.url}/graphql`;
    }
    const gateways = [await startProcess('gateway-current', root, 'gateway/src/index.ts', { ...shared, ...subgraphUrls })];
    if (args.baseline) gateways.push(await startProcess('gateway-baseline', resolve(args.baseline), 'gateway/src/index.ts', { ...shared, ...subgraphUrls }));
    processes.push(...gateways);
    const ordersUrl = processes.find((started) => started.label === 'orders')!.url;
    for (const gateway of gateways) await load(gateway.url, gatewayQuery, { connections: 4 }); // warm-up: JIT, plans, connections
    await load(ordersUrl, subgraphQuery, { connections: 4 });

    const rows: string[] = ['| round | target | req/s (16 clients) | p50 ms | p99 ms | errors | ratio to subgraph |', '|---|---|---|---|---|---|---|'];
    for (let round = 1; round <= Number(args.rounds); round += 1) {
      const subgraph = await load(ordersUrl, subgraphQuery, { connections: 16 });
      rows.push(`| ${round} | orders subgraph | ${subgraph.requests} | ${subgraph.p50} | ${subgraph.p99} | ${subgraph.errors} | 1 |`);
      for (const gateway of gateways) {
        const measured = await load(gateway.url, gatewayQuery, { connections: 16 });
        rows.push(`| ${round} | gateway (${gateway.label}) | ${measured.requests} | ${measured.p50} | ${measured.p99} | ${measured.errors} | ${(measured.requests / subgraph.requests).toFixed(2)} |`);
      }
    }
    rows.push('', '| target | offered req/s | served req/s | p50 ms | p99 ms | errors |', '|---|---|---|---|---|---|');
    for (const gateway of gateways) {
      const measured = await load(gateway.url, gatewayQuery, { connections: 16, overallRate: 200 });
      rows.push(`| gateway (${gateway.label}) | 200 | ${measured.requests} | ${measured.p50} | ${measured.p99} | ${measured.errors} |`);
    }
    console.log(rows.join('\n'));
  } finally {
    for (const started of processes.reverse()) {
      const exited = new Promise((settle) => started.child.once('exit', settle));
      started.child.kill('SIGTERM');
      await exited;
    }
    await system.close();
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
