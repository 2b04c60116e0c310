import { appendFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createProducts, warmUp, warmUpAtRate } from './catalogue';
import { databaseUrl, loadBenchConfig } from './config';
import { recreateDatabase } from './database';
import { deleteTopicsOfRun } from './kafka-cleanup';
import { checkLedger, finalOrders, pendingCount } from './ledger';
import { describeMachine } from './machine';
import { runPgbench } from './pgbench';
import { measureIdle } from './idle';
import { measureProductList, measureReads } from './reads';
import { formatSection, type BenchOutcome } from './section';
import { runStep, type StepMeasurement } from './step';
import { toRow } from './step-row';
import { watchOrderStatuses } from './subscriber';
import { startSystem } from './system';
import { findTargets } from './targets';
import { waitUntil } from './timing';

const say = (line: string) => console.error(`[bench] ${line}`);

/**
 * `npm run bench`: starts the system with the user's own `npm start` (its own database, topic
 * prefix and ports), drives it from outside at fixed open-loop rates, and prints one Markdown
 * section (appended to bench/RESULTS.md when BENCH_WRITE=1). See the head of bench/RESULTS.md.
 */
async function main(): Promise<void> {
  const config = loadBenchConfig();
  const machine = describeMachine();
  const benchUrl = databaseUrl(config.adminDatabaseUrl, config.benchDatabase);
  const gatewayUrl = `http://127.0.0.1:${config.ports.gateway}`;
  const gatewayGraphql = `${gatewayUrl}/graphql`;
  say(`load average at start: ${machine.loadAverage.map((value) => value.toFixed(2)).join(' ')}`);

  say(`pgbench baseline (${config.pgbenchClients} clients, ${config.pgbenchSeconds} s)...`);
  const pgbench = await runPgbench(
    config.adminDatabaseUrl,
    `${config.benchDatabase}_pgbench`,
    config.pgbenchClients,
    config.pgbenchSeconds,
  );
  say('skipped' in pgbench ? `pgbench skipped: ${pgbench.skipped}` : `pgbench: ${pgbench.tps.toFixed(0)} tps`);

  await recreateDatabase(config.adminDatabaseUrl, config.benchDatabase);
  const logFile = join(tmpdir(), `bench-system-${Date.now()}.log`);
  say(
    `npm start (database ${config.benchDatabase}, topics ${config.topicPrefix}*, gateway :${config.ports.gateway}); its output: ${logFile}`,
  );
  // The broker the system runs on, and the one its topics are deleted from afterwards.
  const kafkaEnv = {
    KAFKA_PORT: String(config.ports.kafka),
    KAFKA_CONTROLLER_PORT: process.env.KAFKA_CONTROLLER_PORT ?? String(config.ports.kafka + 1),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? `127.0.0.1:${config.ports.kafka}`,
  };
  const startedAt = Date.now();
  const system = await startSystem(
    {
      ...process.env,
      DATABASE_URL: benchUrl,
      KAFKA_TOPIC_PREFIX: config.topicPrefix,
      GATEWAY_PORT: String(config.ports.gateway),
      INVENTORY_PORT: String(config.ports.inventory),
      ORDERS_PORT: String(config.ports.orders),
      MONITOR_PORT: String(config.ports.monitor),
      ...kafkaEnv,
      // One client sends every request here: the bench measures the system, not its per-caller rate limits.
      RATE_LIMIT_REQUESTS: process.env.RATE_LIMIT_REQUESTS ?? '0',
      RATE_LIMIT_MUTATIONS: process.env.RATE_LIMIT_MUTATIONS ?? '0',
      SUBGRAPH_HOP_SECRET: config.hopSecret,
    },
    `${gatewayUrl}/health`,
    logFile,
  );
  const startSeconds = (Date.now() - startedAt) / 1000;
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
    const targets = findTargets(config, system.pid, say);
    say(`measuring pids ${JSON.stringify(targets)}`);
    say(`idle system: ${config.idleSeconds} s of quiet...`);
    const idle = config.idleSeconds > 0 ? await measureIdle(targets, config.idleSeconds) : undefined;
    await watcher.connected;
    const initialStock = await createProducts(config, gatewayGraphql);
    const productIds = [...initialStock.keys()];
    say(`${productIds.length} products created; warming up`);
    await warmUp(gatewayGraphql, productIds, watcher);
    if (config.warmUp) {
      say(`warm-up: ${config.warmUp.ratePerSecond} orders/s for ${config.warmUp.durationSeconds} s...`);
      await warmUpAtRate(config, config.warmUp, { gatewayUrl, productIds, watcher });
    }

    // Reads first, on a quiet system: after the rate steps a saga backlog would be measured instead.
    say('read path: gateway vs orders subgraph...');
    const reads = await measureReads(config, gatewayGraphql, `http://127.0.0.1:${config.ports.orders}/graphql`);
    say('read path: a product list through GraphQL, REST and the inventory subgraph...');
    const productList = await measureProductList(
      config,
      gatewayUrl,
      `http://127.0.0.1:${config.ports.inventory}/graphql`,
    );

    const measured: StepMeasurement[] = [];
    for (const step of config.steps) {
      say(`${step.ratePerSecond} orders/s for ${step.durationSeconds} s...`);
      measured.push(await runStep(config, step, { gatewayUrl, productIds, watcher, targets, admin, bench }));
      const last = measured[measured.length - 1];
      say(
        `  sent ${last.load.sent}, created ${last.load.created.length}, failed ${last.load.failed}, completed in the step ${last.completed}`,
      );
    }

    say(`waiting up to ${config.finalDrainMs / 1000} s for every order to leave PENDING...`);
    await waitUntil(async () => (await pendingCount(bench)) === 0, config.finalDrainMs, 1000);
    const finalInDatabase = await finalOrders(bench);
    // The subscriber may trail the database by the saga's last hop; give it time, stop when it stops progressing.
    let seen = -1;
    await waitUntil(
      () => {
        const caughtUp = [...finalInDatabase.keys()].every((id) => watcher.finalAt.has(id));
        const progressing = watcher.finalAt.size !== seen;
        seen = watcher.finalAt.size;
        return caughtUp || !progressing;
      },
      30_000,
      3000,
    );
    const rows = config.steps.map((step, index) => toRow(step, measured[index], watcher, finalInDatabase));
    const ledger = await checkLedger(bench, initialStock);
    say(`ledger: ${ledger.passed ? 'PASS' : `FAIL (${ledger.failures.length} findings)`}`);

    const outcome: BenchOutcome = {
      config,
      machine,
      pgbench,
      rows,
      ledger,
      reads,
      productList,
      idle,
      startSeconds,
      logFile,
      loadAverageAtEnd: loadavg() as [number, number, number],
      watcher: { announcedDrops: watcher.announcedDrops, problems: watcher.problems },
      failuresByMessage: measured.reduce<Record<string, number>>((counts, step) => {
        for (const [message, count] of Object.entries(step.load.failuresByMessage))
          counts[message] = (counts[message] ?? 0) + count;
        return counts;
      }, {}),
      finals: {
        inDatabase: finalInDatabase.size,
        received: [...finalInDatabase.keys()].filter((id) => watcher.finalAt.has(id)).length,
      },
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
    await Promise.all([admin.end(), bench.end()]).catch((error: Error) =>
      say(`closing database connections: ${error.message}`),
    );
    await deleteTopicsOfRun({ ...process.env, ...kafkaEnv }, config.topicPrefix, (line) => say(line)).then(
      ({ topics, groupsLeft }) =>
        say(
          `deleted ${topics.length} topics with prefix ${config.topicPrefix}${groupsLeft > 0 ? ` (${groupsLeft} consumer groups still active, left to expire)` : ''}`,
        ),
      (error: Error) => say(`could not delete the bench topics: ${error.message}`),
    );
  }
}

main().catch((error) => {
  console.error(`[bench] failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
});
