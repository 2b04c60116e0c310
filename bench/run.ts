import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { databaseUrl, loadBenchConfig, type BenchConfig } from './config';
import { cpuDelta, sampleCpu, type CpuTargets } from './cpu-sampler';
import { counterDelta, readCounters, recreateDatabase } from './database';
import { graphql, mapConcurrently } from './graphql-client';
import { deleteBenchTopics } from './kafka-cleanup';
import { checkLedger, finalOrders, pendingCount } from './ledger';
import { sendOrdersOpenLoop, type OpenLoopResult } from './load';
import { describeMachine, rssMegabytes } from './machine';
import { runPgbench } from './pgbench';
import { descendantsOf, pidListeningOn, readCmdline, snapshotProcesses } from './proc-stat';
import { assertQueryAnswers, gatewayOrdersQuery, measureQuery, subgraphOrdersQuery } from './reads';
import { formatSection, type BenchOutcome, type Reads } from './section';
import { distribution } from './stats';
import type { StepRow } from './report';
import { arrivalsBetween, watchOrderStatuses, type StatusWatcher } from './subscriber';
import { startSystem, type RunningSystem } from './system';

/**
 * `npm run bench`: starts the system with the user's own `npm start` (its own database, topic
 * prefix and ports), drives it from outside at fixed open-loop rates, and prints one Markdown
 * section (appended to bench/RESULTS.md when BENCH_WRITE=1). See the head of bench/RESULTS.md.
 */
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const say = (line: string) => console.error(`[bench] ${line}`);

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 250): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(pollMs);
  }
  return condition();
}

function findTargets(config: BenchConfig, system: RunningSystem): CpuTargets {
  const processes = snapshotProcesses();
  const ours = new Set(descendantsOf(system.pid, processes));
  const services: Record<string, number> = {};
  for (const name of ['gateway', 'inventory', 'orders', 'monitor'] as const) {
    const pid = pidListeningOn(config.ports[name]);
    if (pid === undefined) throw new Error(`nothing listens on ${name}'s port ${config.ports[name]}`);
    if (!ours.has(pid)) throw new Error(`port ${config.ports[name]} (${name}) belongs to pid ${pid}, which npm start did not start`);
    services[name] = pid;
  }
  const kafka = pidListeningOn(config.ports.kafka)
    ?? [...processes.keys()].find((pid) => / kafka\.Kafka( |$)/.test(readCmdline(pid)));
  if (kafka === undefined) say(`no Kafka process found on port ${config.ports.kafka}: its CPU is not counted`);
  return { services, kafka, launcherRoot: system.pid };
}

async function createProducts(config: BenchConfig, gatewayGraphql: string): Promise<Map<string, number>> {
  const stocks = Array.from({ length: config.productCount }, (_, index) =>
    (index >= config.productCount - config.shortProducts ? config.shortStock : config.stockPerProduct));
  const ids = await mapConcurrently(stocks, 8, async (stockQuantity, index) => {
    const data = await graphql<{ createProduct: { id: string } }>(gatewayGraphql,
      'mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }',
      { input: { name: `Bench product ${index + 1}`, price: '1.00', stockQuantity, minStockLevel: 0 } });
    return data.createProduct.id;
  });
  return new Map(ids.map((id, index) => [id, stocks[index]]));
}

/** One order per product through the whole saga: JIT, connection pools and consumer groups warm, subscriber proven live. */
async function warmUp(gatewayGraphql: string, productIds: string[], watcher: StatusWatcher): Promise<void> {
  const orderIds = await mapConcurrently(productIds, 4, async (productId) => {
    const data = await graphql<{ createOrder: { id: string } }>(gatewayGraphql,
      'mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id } }',
      { input: { orderType: 'SELL', customerName: 'Bench warm-up', customerEmail: 'bench@example.com', items: [{ productId, quantity: 1, unitPrice: '1.00' }] } });
    return data.createOrder.id;
  });
  const done = await waitUntil(() => orderIds.every((id) => watcher.finalAt.has(id)), 120_000);
  if (!done) throw new Error(`warm-up: the subscriber saw ${orderIds.filter((id) => watcher.finalAt.has(id)).length} of ${orderIds.length} final statuses within 120 s`);
}

interface StepMeasurement {
  load: OpenLoopResult;
  completed: number;
  cpu: Record<string, number>;
  sql: { commits: number; inserted: number; updated: number };
  gatewayRssMb?: number;
}

async function runStep(config: BenchConfig, step: BenchConfig['steps'][number], context: {
  gatewayUrl: string; productIds: string[]; watcher: StatusWatcher; targets: CpuTargets; admin: Client;
}): Promise<StepMeasurement> {
  const cpuBefore = sampleCpu(context.targets);
  const sqlBefore = await readCounters(context.admin, config.benchDatabase);
  const startedAt = now();
  const load = await sendOrdersOpenLoop({
    gatewayUrl: context.gatewayUrl, ratePerSecond: step.ratePerSecond, durationSeconds: step.durationSeconds,
    productIds: context.productIds, maxConnections: config.maxConnections, requestTimeoutMs: config.requestTimeoutMs,
  });
  await waitUntil(() => load.created.every((order) => context.watcher.finalAt.has(order.id)), config.stepDrainMs);
  const endedAt = now();
  return {
    load,
    completed: arrivalsBetween(context.watcher, startedAt, endedAt),
    cpu: cpuDelta(cpuBefore, sampleCpu(context.targets)),
    sql: counterDelta(sqlBefore, await readCounters(context.admin, config.benchDatabase)),
    gatewayRssMb: rssMegabytes(context.targets.services.gateway),
  };
}

function toRow(step: BenchConfig['steps'][number], measured: StepMeasurement, watcher: StatusWatcher, finalInDatabase: Map<string, string>): StepRow {
  const { load } = measured;
  const perOrder = (value: number) => (measured.completed > 0 ? value / measured.completed : NaN);
  const pendingToFinal: number[] = [];
  let missedEvents = 0;
  let unfinished = 0;
  for (const order of load.created) {
    const finalAt = watcher.finalAt.get(order.id);
    if (finalAt !== undefined) pendingToFinal.push(finalAt - order.scheduledAt);
    else if (finalInDatabase.has(order.id)) missedEvents += 1;
    else {
      unfinished += 1;
      pendingToFinal.push(Infinity);
    }
  }
  const windowSeconds = (load.endedAt - load.startedAt) / 1000;
  return {
    ratePerSecond: step.ratePerSecond,
    durationSeconds: step.durationSeconds,
    sent: load.sent,
    created: load.created.length,
    failed: load.failed,
    endToEndPerSecond: arrivalsBetween(watcher, load.startedAt, load.endedAt) / windowSeconds,
    createMs: distribution(load.created.map((order) => order.latencyMs)),
    pendingToFinalMs: distribution(pendingToFinal),
    missedEvents,
    unfinished,
    completed: measured.completed,
    cpuPerOrder: Object.fromEntries(Object.entries(measured.cpu).map(([name, seconds]) => [name, perOrder(seconds)])),
    commitsPerOrder: perOrder(measured.sql.commits),
    insertsPerOrder: perOrder(measured.sql.inserted),
    updatesPerOrder: perOrder(measured.sql.updated),
    gatewayRssMb: measured.gatewayRssMb,
  };
}

async function measureReads(config: BenchConfig, gatewayGraphql: string, ordersGraphql: string): Promise<Reads> {
  await assertQueryAnswers(gatewayGraphql, gatewayOrdersQuery);
  await assertQueryAnswers(ordersGraphql, subgraphOrdersQuery);
  const closedLoop = { connections: config.readConnections, seconds: config.readSeconds };
  return {
    gateway: await measureQuery(gatewayGraphql, gatewayOrdersQuery, closedLoop),
    subgraph: await measureQuery(ordersGraphql, subgraphOrdersQuery, closedLoop),
    gatewayAtFixedRate: await measureQuery(gatewayGraphql, gatewayOrdersQuery, { connections: 64, seconds: config.readSeconds, overallRate: config.readFixedRate }),
  };
}

async function main(): Promise<void> {
  const config = loadBenchConfig();
  const machine = describeMachine();
  const benchUrl = databaseUrl(config.adminDatabaseUrl, config.benchDatabase);
  const gatewayUrl = `http://127.0.0.1:${config.ports.gateway}`;
  const gatewayGraphql = `${gatewayUrl}/graphql`;
  say(`load average at start: ${machine.loadAverage.map((value) => value.toFixed(2)).join(' ')}`);

  say(`pgbench baseline (${config.pgbenchClients} clients, ${config.pgbenchSeconds} s)...`);
  const pgbench = await runPgbench(config.adminDatabaseUrl, `${config.benchDatabase}_pgbench`, config.pgbenchClients, config.pgbenchSeconds);
  say('skipped' in pgbench ? `pgbench skipped: ${pgbench.skipped}` : `pgbench: ${pgbench.tps.toFixed(0)} tps`);

  await recreateDatabase(config.adminDatabaseUrl, config.benchDatabase);
  const logFile = join(tmpdir(), `bench-system-${Date.now()}.log`);
  say(`npm start (database ${config.benchDatabase}, topics ${config.topicPrefix}*, gateway :${config.ports.gateway}); its output: ${logFile}`);
  const system = await startSystem({
    ...process.env,
    DATABASE_URL: benchUrl,
    KAFKA_TOPIC_PREFIX: config.topicPrefix,
    GATEWAY_PORT: String(config.ports.gateway),
    INVENTORY_PORT: String(config.ports.inventory),
    ORDERS_PORT: String(config.ports.orders),
    MONITOR_PORT: String(config.ports.monitor),
    KAFKA_PORT: String(config.ports.kafka),
  }, `${gatewayUrl}/health`, logFile);
  let stopped = false;
  const stopSystem = async () => {
    if (stopped) return;
    stopped = true;
    say('stopping npm start...');
    await system.stop();
  };
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping`);
    void stopSystem().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  const admin = new Client({ connectionString: config.adminDatabaseUrl });
  const bench = new Client({ connectionString: benchUrl });
  const watcher = watchOrderStatuses(gatewayUrl);
  try {
    await admin.connect();
    await bench.connect();
    const targets = findTargets(config, system);
    say(`measuring pids ${JSON.stringify(targets)}`);
    await watcher.connected;
    const initialStock = await createProducts(config, gatewayGraphql);
    const productIds = [...initialStock.keys()];
    say(`${productIds.length} products created; warming up`);
    await warmUp(gatewayGraphql, productIds, watcher);

    const measured: StepMeasurement[] = [];
    for (const step of config.steps) {
      say(`${step.ratePerSecond} orders/s for ${step.durationSeconds} s...`);
      measured.push(await runStep(config, step, { gatewayUrl, productIds, watcher, targets, admin }));
      const last = measured[measured.length - 1];
      say(`  sent ${last.load.sent}, created ${last.load.created.length}, failed ${last.load.failed}, completed in the step ${last.completed}`);
    }

    say(`waiting up to ${config.finalDrainMs / 1000} s for every order to leave PENDING...`);
    await waitUntil(async () => (await pendingCount(bench)) === 0, config.finalDrainMs, 1000);
    const finalInDatabase = await finalOrders(bench);
    // The subscriber may trail the database by the saga's last hop; give it time, stop when it stops progressing.
    let seen = -1;
    await waitUntil(() => {
      const caughtUp = [...finalInDatabase.keys()].every((id) => watcher.finalAt.has(id));
      const progressing = watcher.finalAt.size !== seen;
      seen = watcher.finalAt.size;
      return caughtUp || !progressing;
    }, 30_000, 3000);
    const rows = config.steps.map((step, index) => toRow(step, measured[index], watcher, finalInDatabase));
    const ledger = await checkLedger(bench, initialStock);
    say(`ledger: ${ledger.passed ? 'PASS' : `FAIL (${ledger.failures.length} findings)`}`);

    say('read path: gateway vs orders subgraph...');
    const reads = await measureReads(config, gatewayGraphql, `http://127.0.0.1:${config.ports.orders}/graphql`);

    const outcome: BenchOutcome = {
      config, machine, pgbench, rows, ledger, reads, logFile,
      watcher: { announcedDrops: watcher.announcedDrops, problems: watcher.problems },
      failureSamples: [...new Set(measured.flatMap((step) => step.load.failureSamples))].slice(0, 5),
    };
    const section = formatSection(outcome);
    console.log(section);
    if (config.writeResults) {
      appendFileSync(join(__dirname, 'RESULTS.md'), `\n${section}\n`);
      say('appended to bench/RESULTS.md');
    }
    if (!ledger.passed) process.exitCode = 1;
  } finally {
    await watcher.close().catch((error: Error) => say(`closing the subscriber: ${error.message}`));
    await stopSystem();
    await Promise.all([admin.end(), bench.end()]).catch((error: Error) => say(`closing database connections: ${error.message}`));
    await deleteBenchTopics((process.env.KAFKA_BROKERS ?? `127.0.0.1:${config.ports.kafka}`).split(','), config.topicPrefix).then(
      ({ topics, groupsLeft }) => say(`deleted ${topics.length} topics with prefix ${config.topicPrefix}${groupsLeft > 0 ? ` (${groupsLeft} consumer groups still active, left to expire)` : ''}`),
      (error: Error) => say(`could not delete the bench topics: ${error.message}`));
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
