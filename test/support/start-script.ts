import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadConfig, type Config } from '@io/config';
import { topics } from '@io/events/catalog';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import { startOrder, type ServiceName } from '@io/registry';
import { freePort } from './free-port';
import { createTestDatabase } from './test-database';
import type { GraphQLResponse } from './test-system';
import { waitFor } from './wait-for';

/**
 * The system as `npm start` runs it (dist/scripts/start.js and the services compiled in dist/, which
 * `npm test` builds first), on a database, topic prefix and ports of its own. The broker is the
 * one already listening on KAFKA_PORT (the test setup starts one when none does).
 */
export interface StartedSystem {
  gatewayUrl: string;
  /** The configuration the supervisor was given (its services' database, topic prefix, ports). */
  config: Config;
  /** Through the gateway over HTTP, as the development caller (auth is off: development mode). */
  graphql: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;
  ports: Record<ServiceName, number>;
  /** Everything the supervisor and its services printed so far. */
  output: () => string;
  /** The process id of a service's current process, as the supervisor last reported it ready. */
  pidOf: (name: ServiceName) => number | undefined;
  /** Resolves once the supervisor reported the service ready in a process other than `previousPid`. */
  readyAgain: (name: ServiceName, previousPid: number, timeoutMs?: number) => Promise<number>;
  supervisor: ChildProcess;
  /** SIGTERM to the supervisor (as Ctrl-C), then the database and topics dropped; resolves with its exit code. */
  stop: () => Promise<number | null>;
}

export async function startWithStartScript(overrides: Record<string, string> = {}): Promise<StartedSystem> {
  const database = await createTestDatabase(false);
  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const ports = {} as Record<ServiceName, number>;
  for (const entry of startOrder) ports[entry.name] = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    HEALTH_CHECK_INTERVAL_MS: '1000',
    OUTBOX_POLL_MS: '500',
    ...Object.fromEntries(startOrder.map((entry) => [entry.portVariable, String(ports[entry.name])])),
    ...overrides,
  };
  const config = loadConfig(env);
  const supervisor = spawn(process.execPath, [fromProjectRoot('dist', 'scripts', 'start.js')], {
    cwd: fromProjectRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  supervisor.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  supervisor.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));

  const readyPids = (name: ServiceName) =>
    [...output.matchAll(new RegExp(`\\[start\\] ${name} \\(pid (\\d+)\\) ready`, 'g'))].map((match) =>
      Number(match[1]),
    );
  const pidOf = (name: ServiceName) => readyPids(name).at(-1);

  const dropAll = async () => {
    const admin = createKafka('test-admin', kafkaConnection(loadConfig()), createLogger('test', 'silent')).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics).map(topicNamer(prefix)) });
    await admin.disconnect();
    await database.drop();
  };
  let stopped: Promise<number | null> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (supervisor.exitCode === null) supervisor.kill('SIGTERM');
      const code = await exited;
      // For a failure's post-mortem: everything the supervisor and its services printed.
      if (process.env.START_SCRIPT_LOG) writeFileSync(process.env.START_SCRIPT_LOG, output);
      await dropAll();
      return code;
    })();
    return stopped;
  };
  try {
    await waitFor(
      () => output.includes('[start] all services up') || supervisor.exitCode !== null,
      180_000,
      'the start script to report every service up',
      250,
    );
    if (supervisor.exitCode !== null) throw new Error(`the start script exited:\n${output.slice(-3000)}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  return {
    gatewayUrl,
    config,
    graphql: async (query, variables) => {
      const response = await fetch(`${gatewayUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    ports,
    output: () => output,
    pidOf,
    readyAgain: (name, previousPid, timeoutMs = 120_000) =>
      waitFor(
        () => {
          const pid = pidOf(name);
          return pid !== undefined && pid !== previousPid ? pid : undefined;
        },
        timeoutMs,
        `${name} to be restarted`,
        200,
      ),
    supervisor,
    stop,
  };
}
