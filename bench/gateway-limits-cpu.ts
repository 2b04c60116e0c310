/**
 * Gateway CPU per normal read with the operation limits in place, to compare with a tree without
 * them: `tsx bench/gateway-limits-cpu.ts [tree root]` (default: this tree). The gateway runs in its
 * own process (its CPU read from /proc) in front of a stand-in inventory subgraph in this process
 * that answers 20 products, so only the gateway's own work is counted: parse (cached), validation
 * (cached), the limits, planning (cached), one subgraph fetch, and the response.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '@io/config';
import { adminUser, embeddedCredentialsEnv } from '../scripts/kafka/credentials';
import { benchKafkaConnection } from './kafka-cleanup';

const query = '{ products(limit: 20) { id name price stockQuantity } }';
const products = Array.from({ length: 20 }, (_, index) => ({
  id: String(index + 1),
  name: `Product ${index + 1}`,
  price: '9.99',
  stockQuantity: 10,
}));

async function serveGateway(root: string, subgraphUrl: string): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- the tree under test is chosen at run time */
  const { startGateway } = require(join(root, 'gateway/src/server'));
  const { composeSupergraph } = require(join(root, 'gateway/src/supergraph'));
  const { subscriptionLimits } = require(join(root, 'gateway/src/subscriptions/limits'));
  const { loadConfig } = require(join(root, 'lib/config'));
  const { createKafka, kafkaConnection } = require(join(root, 'lib/kafka/client'));
  const { ensureTopics, topicNamer } = require(join(root, 'lib/kafka/topics'));
  const { createLogger } = require(join(root, 'lib/logger'));
  // Each tree passes the options it has (main before issue 9 has no protection; before the response cache, no cache).
  const optional = (module: string, name: string): ((config: unknown) => unknown) | undefined => {
    try {
      return require(join(root, module))[name];
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
      return undefined;
    }
  };
  const protection = optional('gateway/src/protection', 'gatewayProtection');
  const responseCache = optional('gateway/src/response-cache', 'responseCacheOptions');
  const auth = optional('gateway/src/auth/settings', 'gatewayAuth');
  const subgraphCalls = optional('gateway/src/subgraph-breaker', 'subgraphCalls');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const prefix = process.env.BENCH_TOPIC_PREFIX!;
  // A hop secret for trees with auth (the stand-in subgraph ignores the signature).
  const config = loadConfig({ ...process.env, KAFKA_TOPIC_PREFIX: prefix, SUBGRAPH_HOP_SECRET: 'h'.repeat(43) });
  const logger = createLogger('bench', 'silent');
  // Trees before Kafka authentication take a list of brokers instead of a connection.
  const connection = kafkaConnection ? kafkaConnection(config) : config.KAFKA_BROKERS.split(',');
  const admin = createKafka('bench-admin', connection, logger).admin();
  await admin.connect();
  await ensureTopics(admin, topicNamer(prefix));
  await admin.disconnect();
  const gateway = await startGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: { inventory: subgraphUrl, orders: subgraphUrl, monitor: subgraphUrl },
    logger,
    port: 0,
    events: {
      kafka: createKafka('bench-gateway', connection, logger),
      topicName: topicNamer(prefix),
      limits: subscriptionLimits(config),
    },
    ...(protection ? { protection: protection(config) } : {}),
    ...(responseCache ? { responseCache: responseCache(config) } : {}),
    ...(auth ? { auth: auth(config) } : {}),
    ...(subgraphCalls ? { subgraphCalls: subgraphCalls(config) } : {}),
  });
  process.stdout.write(`${gateway.url}\n`);
  process.once('SIGTERM', async () => {
    await gateway.close();
    process.exit(0);
  });
}

const cpuTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};

async function drive(root: string): Promise<void> {
  const subgraph = createServer((request, response) => {
    request.resume();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(request.method === 'POST' ? { data: { products } } : { status: 'healthy' }));
  });
  await new Promise<void>((ready) => subgraph.listen(0, '127.0.0.1', ready));
  const subgraphUrl = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
  const prefix = `bench-limits-${process.pid}.`;
  const child = spawn(process.execPath, [...process.execArgv, __filename, 'serve', root, subgraphUrl], {
    cwd: root,
    // The embedded broker's admin: the stand-in gateway creates its topics itself.
    env: { ...process.env, ...embeddedCredentialsEnv(loadConfig(), adminUser), BENCH_TOPIC_PREFIX: prefix },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const gatewayUrl = await new Promise<string>((ready) =>
    child.stdout.once('data', (chunk) => ready(String(chunk).trim())),
  );
  const post = async () => {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: { products: unknown[] } };
    if (body.data?.products.length !== 20) throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
  };
  const round = async (requests: number, concurrency: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < requests) await post();
      }),
    );
  };
  await round(2000, 8); // warm-up: JIT, document and plan caches
  const results: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const before = cpuTicks(child.pid!);
    await round(5000, 8);
    results.push(((cpuTicks(child.pid!) - before) * 10_000) / 5000); // 100 ticks/s: µs per request
  }
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  subgraph.close();
  // The gateway's topics and consumer group go with it (the broker is shared).
  const admin = new Kafka({ ...benchKafkaConnection(), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const groups = (await admin.listGroups()).groups.map(({ groupId }) => groupId).filter((id) => id.startsWith(prefix));
  if (groups.length > 0) await admin.deleteGroups(groups);
  await admin.disconnect();
  const sorted = [...results].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      root,
      query,
      runs: results.map((value) => Math.round(value)),
      medianMicrosecondsPerRequest: Math.round(sorted[2]),
    }),
  );
}

const [first, ...rest] = process.argv.slice(2);
if (first === 'serve') void serveGateway(rest[0], rest[1]);
else void drive(resolve(first ?? join(__dirname, '..')));
