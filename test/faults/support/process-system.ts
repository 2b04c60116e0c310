import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@io/config';
import { createKafka, kafkaConnection, type KafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import { compiledPath, services, subgraphNames, type ServiceName } from '@io/registry';
import { removeAcls } from '../../../scripts/kafka/acls';
import { adminUser, credentialsEnv, type EmbeddedCredentials } from '../../../scripts/kafka/credentials';
import { stopProcess } from '../../../scripts/stop-process';
import { brokerCredentials, grantAcls, serviceKafkaEnv } from '../../support/kafka-users';
import { freePort } from '../../support/free-port';
import { createTestDatabase } from '../../support/test-database';
import { waitFor } from '../../support/wait-for';

/**
 * The system as it runs for real: every service a process of its own (the compiled build, as in a
 * container), several instances of each if asked, on one database and one topic prefix of its own,
 * so a scenario can SIGKILL, SIGSTOP or SIGTERM any of them from outside.
 */
interface Instance {
  name: ServiceName;
  index: number;
  port: number;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

export interface ProcessSystemOptions {
  brokers: string[];
  /** The users of a broker the scenario started itself (the suite's broker's are found on their own). */
  kafkaCredentials?: EmbeddedCredentials;
  /** Instances per service (default 1 each). Gateway i calls instance i (mod n) of each subgraph. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Topic partitions: a replica only gets work if there are at least as many partitions as instances. */
  partitions?: number;
  env?: Record<string, string>;
  /** More environment for one instance, asked at each of its starts (restarts included). */
  instanceEnv?: (name: ServiceName, index: number) => Record<string, string>;
}

export interface ProcessSystem {
  databaseUrl: string;
  prefix: string;
  brokers: string[];
  /** The admin's connection to the broker (each service runs as its own Kafka user). */
  kafka: KafkaConnection;
  instances: Instance[];
  gatewayUrls: () => string[];
  instancesOf: (name: ServiceName) => Instance[];
  /** Starts instance `index` of `name` again on its port (after it was killed or stopped). */
  restart: (instance: Instance) => Promise<Instance>;
  /** Folder with one log file per instance, for reading after a failure. */
  logDir: string;
  close: () => Promise<void>;
}

const entryOf = (name: ServiceName) => services.find((entry) => entry.name === name)!;

export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const compiledGateway = fromProjectRoot(compiledPath(entryOf('gateway').entry));
  if (!existsSync(compiledGateway)) throw new Error(`${compiledGateway} is missing: run \`npm run build\` first`);
  const database = await createTestDatabase();
  const prefix = `fault-${randomBytes(4).toString('hex')}.`;
  const logDir = mkdtempSync(join(tmpdir(), 'faults-'));
  const config = loadConfig({
    ...process.env,
    KAFKA_BROKERS: options.brokers.join(','),
    ...(options.kafkaCredentials ? credentialsEnv(options.kafkaCredentials, adminUser) : {}),
  });
  const kafka = kafkaConnection(config);
  const credentials = brokerCredentials(config, options.kafkaCredentials);
  const admin = createKafka('fault-admin', kafka, createLogger('fault', 'silent')).admin();
  await admin.connect();
  const topics = await ensureTopics(admin, topicNamer(prefix), options.partitions ?? 3);
  await grantAcls(admin, prefix, credentials);
  await admin.disconnect();

  const count = (name: ServiceName) => options.replicas?.[name] ?? 1;
  const ports = new Map<string, number>();
  for (const { name } of services) {
    for (let index = 0; index < count(name); index += 1) ports.set(`${name}.${index}`, await freePort());
  }
  const portOf = (name: ServiceName, index: number) => ports.get(`${name}.${index % count(name)}`)!;
  const hopSecret = randomBytes(32).toString('base64url');

  function environment(name: ServiceName, index: number): NodeJS.ProcessEnv {
    const entry = entryOf(name);
    // Each instance calls (and the monitor probes) the subgraph instances with its own index.
    const urls = Object.fromEntries(
      services.map((other) => [
        other.urlVariable,
        `http://127.0.0.1:${portOf(other.name, index)}${subgraphNames.includes(other.name as never) ? '/graphql' : ''}`,
      ]),
    );
    return {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'warn',
      DATABASE_URL: database.url,
      KAFKA_BROKERS: options.brokers.join(','),
      ...serviceKafkaEnv(credentials, name),
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      SUBGRAPH_HOP_SECRET: hopSecret,
      OUTBOX_POLL_MS: '1000',
      HEALTH_CHECK_INTERVAL_MS: '1000',
      RATE_LIMIT_REQUESTS: '0',
      RATE_LIMIT_MUTATIONS: '0',
      ...urls,
      [entry.portVariable]: String(portOf(name, index)),
      ...options.env,
      ...options.instanceEnv?.(name, index),
    };
  }

  // Every child spawned, so a failed start or close never leaves one behind.
  const children = new Set<ChildProcess>();

  async function launch(name: ServiceName, index: number): Promise<Instance> {
    const entry = entryOf(name);
    const port = portOf(name, index);
    const log = openSync(join(logDir, `${name}-${index}.log`), 'a');
    const child = spawn(process.execPath, [fromProjectRoot(compiledPath(entry.entry))], {
      env: environment(name, index),
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    children.add(child);
    const exited = new Promise<number | null>((settle) => child.once('exit', (code) => settle(code)));
    const url = `http://127.0.0.1:${port}`;
    const instance: Instance = { name, index, port, url, child, exited };
    await Promise.race([
      waitFor(
        async () => (await fetch(`${url}${entry.healthPath}`, { signal: AbortSignal.timeout(2000) })).ok,
        120_000,
        `${name}-${index} to be healthy (log: ${logDir}/${name}-${index}.log)`,
        200,
      ),
      exited.then((code) => {
        throw new Error(`${name}-${index} exited with ${code} while starting (log: ${logDir}/${name}-${index}.log)`);
      }),
    ]);
    return instance;
  }

  const instances: Instance[] = [];
  try {
    // Subgraphs first (the gateway loads their schemas at start), each service's instances together.
    for (const stage of [subgraphNames, ['gateway'] as const]) {
      for (const name of stage) {
        instances.push(...(await Promise.all(Array.from({ length: count(name) }, (_, index) => launch(name, index)))));
      }
    }
  } catch (error) {
    await Promise.all([...children].map((child) => stopProcess(child, 5000)));
    throw error;
  }

  return {
    databaseUrl: database.url,
    prefix,
    brokers: options.brokers,
    kafka,
    instances,
    logDir,
    gatewayUrls: () => instances.filter((instance) => instance.name === 'gateway').map((instance) => instance.url),
    instancesOf: (name) => instances.filter((instance) => instance.name === name),
    restart: async (old) => {
      const fresh = await launch(old.name, old.index);
      instances.splice(instances.indexOf(old), 1, fresh);
      return fresh;
    },
    close: async () => {
      // The gateways first, so no request reaches a subgraph that is going away.
      const gateways = instances.filter((instance) => instance.name === 'gateway');
      await Promise.all(gateways.map((instance) => stopProcess(instance.child, 10_000)));
      await Promise.all(
        instances
          .filter((instance) => instance.name !== 'gateway')
          .map((instance) => stopProcess(instance.child, 10_000)),
      );
      const cleanup = createKafka('fault-admin', kafka, createLogger('fault', 'silent')).admin();
      await cleanup.connect();
      await cleanup.deleteTopics({ topics });
      if (credentials) await removeAcls(cleanup, prefix);
      await cleanup.disconnect();
      await database.drop();
    },
  };
}
