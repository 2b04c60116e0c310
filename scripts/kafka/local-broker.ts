import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConnection } from '@io/kafka/client';
import { replicationFor } from '@io/kafka/topics';
import { fromProjectRoot } from '@io/project-root';
import { stopProcess } from '../stop-process';
import {
  adminUser,
  credentialsFileFor,
  loadOrCreateCredentials,
  missingUsers,
  newPassword,
  readCredentials,
  saveCredentials,
  scramFormatArguments,
  type EmbeddedCredentials,
} from './credentials';

/**
 * A real single-node Apache Kafka broker (KRaft) for development and tests: downloaded from
 * Maven Central once, formatted once, started when nothing listens on its port. Clients
 * authenticate with SASL/SCRAM and may do only what ACLs allow (scripts/kafka/credentials.ts,
 * scripts/kafka/acls.ts).
 */
export const kafkaHome = fromProjectRoot('.kafka');
// Its Maven and broker configuration, read from the source tree also when this runs compiled.
const kafkaScripts = fromProjectRoot('scripts', 'kafka');
const libsDir = join(kafkaHome, 'libs');

export interface LocalBrokerOptions {
  /** The first node's client port (the only one by default). */
  port: number;
  controllerPort: number;
  /**
   * Combined broker+controller nodes in one KRaft quorum (KAFKA_BROKERS_LOCAL, default 1): node i
   * listens on port+2i, its controller on port+2i+1, with its own data folder `.kafka/data-<its port>`.
   */
  nodes?: number;
  /** Log directory (single node only); defaults to .kafka/data-<port> so brokers on different ports never share one. */
  dataDir?: string;
  /** Where the nodes' data-<port> folders go (default .kafka): a test's cluster keeps its data in a folder of its own. */
  dataRoot?: string;
  /** Its users' credentials; defaults to .kafka/credentials-<port>.json (the first node's port), created with the data. */
  credentialsFile?: string;
  log?: (line: string) => void;
}

/** One node of the embedded cluster. */
export interface LocalNode {
  nodeId: number;
  port: number;
  controllerPort: number;
  /** False when it was already listening and was reused: then stop() leaves it alone. */
  startedHere: boolean;
  /** Its process when started here (fault tests kill and restart it). */
  pid?: number;
}

export interface RunningBroker {
  /** Every node's client address (one entry per node). */
  brokers: string[];
  /** Its users (an admin and one per service) and their passwords. */
  credentials: EmbeddedCredentials;
  /** False when every node was already listening and was reused: then stop() leaves them alone. */
  startedHere: boolean;
  /** The first node's process when started here (fault tests stop and continue it). */
  pid?: number;
  nodes: LocalNode[];
  /** Stops the nodes this start launched, and only those. */
  stop(): Promise<void>;
}

/** The ports of node i (0-based) of a local cluster whose first node listens on `port`. */
export const localNodePorts = (port: number, index: number) => ({
  port: port + 2 * index,
  controllerPort: port + 2 * index + 1,
});

export class MissingToolError extends Error {}

function requireTool(command: string, args: string[], advice: string): void {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new MissingToolError(`${command} not found: ${advice}`);
}

export function isKafkaInstalled(): boolean {
  if (!existsSync(libsDir)) return false;
  const jars = readdirSync(libsDir);
  // The broker, and the tools (added later: an older .kafka/libs gets them at the next install).
  return [/^kafka_2\.13-.*\.jar$/, /^kafka-tools-\d.*\.jar$/].every((name) => jars.some((jar) => name.test(jar)));
}

/** Resolves the broker's classpath into .kafka/libs with Maven (skipped when already there). */
const requireJava = () =>
  requireTool('java', ['-version'], 'install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)');

export function installKafka(log: (line: string) => void = console.log): void {
  requireJava();
  if (isKafkaInstalled()) return;
  requireTool('mvn', ['-v'], 'install Apache Maven (Debian: apt-get install maven)');
  log('kafka: downloading Apache Kafka from Maven Central (first run only)...');
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      join(kafkaScripts, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${libsDir}`,
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`kafka: maven download failed (exit ${result.status})`);
}

export function portIsOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
  });
}

/**
 * The broker's heap, as Kafka's own scripts take it (KAFKA_HEAP_OPTS). Sized for a laptop: a broker
 * keeps messages in the operating system's page cache, not its heap; 256 MB holds this system's
 * 500 orders/s benchmark (bench/RESULTS.md), and the heap starts at 32 MB and grows only as needed.
 */
const heapOptions = (process.env.KAFKA_HEAP_OPTS ?? '-Xms32m -Xmx256m').split(/\s+/).filter(Boolean);

function java(args: string[], options: Parameters<typeof spawn>[2] = {}): ChildProcess {
  return spawn(
    'java',
    [
      ...heapOptions,
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      // No hsperfdata counters (what jstat reads; jcmd still works): the JVM samples them every 50 ms,
      // 20 wake-ups a second of an otherwise idle broker (bench/RESULTS.md, 2026-11-29).
      '-XX:-UsePerfData',
      `-Dlog4j2.configurationFile=${join(kafkaScripts, 'log4j2.properties')}`,
      '-cp',
      `${libsDir}/*`,
      ...args,
    ],
    options,
  );
}

interface BrokerFiles {
  nodeId: number;
  port: number;
  controllerPort: number;
  /** Every node's controller port, node i having id i+1. */
  controllerPorts: number[];
  dataDir: string;
  credentials: EmbeddedCredentials;
}

function writeProperties(options: BrokerFiles): string {
  const template = readFileSync(join(kafkaScripts, 'server.properties.template'), 'utf8');
  const { replicationFactor, minInsyncReplicas } = replicationFor(options.controllerPorts.length);
  const cluster = options.controllerPorts.length > 1;
  const voters = options.controllerPorts.map((port, index) => `${index + 1}@127.0.0.1:${port}`).join(',');
  const properties = template
    .replaceAll('${NODE_ID}', String(options.nodeId))
    .replaceAll('${QUORUM_VOTERS}', voters)
    .replaceAll('${REPLICATION_FACTOR}', String(replicationFactor))
    .replaceAll('${MIN_INSYNC_REPLICAS}', String(minInsyncReplicas))
    .replaceAll('${BROKER_SESSION_TIMEOUT_MS}', cluster ? '4000' : '9000')
    .replaceAll('${BROKER_HEARTBEAT_INTERVAL_MS}', cluster ? '1000' : '2000')
    .replaceAll('${PORT}', String(options.port))
    .replaceAll('${CONTROLLER_PORT}', String(options.controllerPort))
    .replaceAll('${LOG_DIR}', options.dataDir)
    .replaceAll('${ADMIN_USER}', adminUser)
    .replaceAll('${ADMIN_PASSWORD}', options.credentials.users[adminUser]);
  const file = join(kafkaHome, `server-${options.port}.properties`);
  // It holds the admin's password (the broker logs in with it to its own controller).
  writeFileSync(file, properties, { mode: 0o600 });
  return file;
}

/**
 * Formats the data directory once, with every user's SCRAM credentials: KRaft keeps them in its
 * metadata log, which only a format (or an already authenticated admin) can write.
 */
function formatOnce(
  propertiesFile: string,
  dataDir: string,
  credentials: EmbeddedCredentials,
  clusterId: string,
): boolean {
  if (existsSync(join(dataDir, 'meta.properties'))) return false;
  mkdirSync(dataDir, { recursive: true });
  const format = spawnSync(
    'java',
    [
      '-cp',
      `${libsDir}/*`,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propertiesFile,
      ...scramFormatArguments(credentials),
    ],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) throw new Error(`kafka: storage format failed: ${format.stderr || format.stdout}`);
  return true;
}

/** The cluster id of a formatted data folder, if it is one. */
function formattedClusterId(dataDir: string): string | undefined {
  const file = join(dataDir, 'meta.properties');
  if (!existsSync(file)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
}

/** The id every node of one cluster is formatted with: that of a node already formatted, or a new one. */
function clusterIdFor(dataDirs: string[]): string {
  const ids = new Set(dataDirs.map(formattedClusterId).filter((id): id is string => id !== undefined));
  if (ids.size > 1)
    throw new Error(
      `kafka: ${dataDirs.join(', ')} belong to different clusters (${[...ids].join(', ')}): remove them (their topics and messages go with them) and start again`,
    );
  if (ids.size === 1) return [...ids][0];
  const clusterId = spawnSync('java', ['-cp', `${libsDir}/*`, 'kafka.tools.StorageTool', 'random-uuid'], {
    encoding: 'utf8',
  });
  if (clusterId.status !== 0) throw new Error(`kafka: random-uuid failed: ${clusterId.stderr}`);
  return clusterId.stdout.trim();
}

/** A failure waiting will not cure: the client and the broker disagree on authentication. */
function authenticationMismatch(error: unknown, connection: KafkaConnection): string | undefined {
  const { name, type, message } = error as { name?: string; type?: string; message?: string };
  const where = connection.brokers.join(',');
  const user = connection.sasl && 'username' in connection.sasl ? connection.sasl.username : undefined;
  if (name === 'KafkaJSSASLAuthenticationError') return `kafka: ${where} refused user ${user}: ${message}`;
  if (type === 'ILLEGAL_SASL_STATE' || type === 'UNSUPPORTED_SASL_MECHANISM')
    return `kafka: ${where} does not take SASL ${connection.sasl?.mechanism} logins (${type}): it is a PLAINTEXT broker, or one with other mechanisms`;
  return undefined;
}

export async function waitForKafka(connection: KafkaConnection, timeoutMs = 60_000): Promise<void> {
  const admin = new Kafka({
    clientId: 'readiness',
    ...connection,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await admin.connect();
      await admin.listTopics();
      await admin.disconnect();
      return;
    } catch (error) {
      lastError = error;
      await admin.disconnect().catch(() => undefined);
      const mismatch = authenticationMismatch(error, connection);
      if (mismatch) throw new Error(mismatch, { cause: error });
      await new Promise((wake) => setTimeout(wake, 250));
    }
  }
  // A SASL listener closes the connection of a client that sends anything but a SASL handshake.
  const hint =
    !connection.sasl && (lastError as Error | undefined)?.name === 'KafkaJSConnectionClosedError'
      ? ' (the broker closes the connection: it may require SASL, see KAFKA_SASL_MECHANISM in the README)'
      : '';
  throw new Error(
    `kafka: not ready on ${connection.brokers.join(',')} after ${timeoutMs} ms: ${String(lastError)}${hint}`,
  );
}

/** The admin's connection to the embedded broker. */
export function adminConnection(brokers: string[], credentials: EmbeddedCredentials): KafkaConnection {
  return {
    brokers,
    sasl: { mechanism: credentials.mechanism, username: adminUser, password: credentials.users[adminUser] },
  };
}

/**
 * Gives users registered after the broker's data was formatted (a new service, the dead-letter
 * replayer) their SCRAM credentials, through Kafka's own admin tool logged in as the admin (kafkajs
 * cannot alter SCRAM credentials), and records them in the credentials file. A JVM start per user:
 * this happens once per new user, at the first start after it was registered.
 */
function addMissingUsers(
  port: number,
  credentials: EmbeddedCredentials,
  credentialsFile: string,
  log: (line: string) => void,
): EmbeddedCredentials {
  const missing = missingUsers(credentials);
  if (missing.length === 0) return credentials;
  const scram = credentials.mechanism.toUpperCase();
  const adminProperties = join(kafkaHome, `admin-${port}.properties`);
  writeFileSync(
    adminProperties,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${scram}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${adminUser}" password="${credentials.users[adminUser]}";`,
    ].join('\n'),
    { mode: 0o600 },
  );
  const users = { ...credentials.users };
  try {
    for (const user of missing) {
      const password = newPassword();
      const result = spawnSync(
        'java',
        [
          '-XX:TieredStopAtLevel=1',
          `-Dlog4j2.configurationFile=${join(kafkaScripts, 'log4j2.properties')}`,
          '-cp',
          `${libsDir}/*`,
          'kafka.admin.ConfigCommand',
          ...['--bootstrap-server', `127.0.0.1:${port}`, '--command-config', adminProperties, '--alter'],
          ...['--add-config', `${scram}=[password=${password}]`, '--entity-type', 'users', '--entity-name', user],
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0) throw new Error(`kafka: adding user ${user} failed: ${result.stderr || result.stdout}`);
      users[user] = password;
      log(
        `kafka: added SASL user ${user}, registered after the broker's data was formatted (password: ${credentialsFile})`,
      );
    }
  } finally {
    rmSync(adminProperties, { force: true });
  }
  const updated = { ...credentials, users };
  saveCredentials(credentialsFile, updated);
  return updated;
}

/** Why a broker that listens on the port cannot be reused: said plainly, since nothing else will work. */
async function unusableBrokerMessage(brokers: string[], credentialsFile: string, dataDir: string): Promise<string> {
  const plaintext = await waitForKafka({ brokers }, 5_000).then(
    () => true,
    () => false,
  );
  const stopIt = `stop it and start again: the embedded broker now runs with SASL/SCRAM authentication and ACLs, and the next start formats it with credentials (remove its old data, ${dataDir}, if it was formatted before)`;
  return plaintext
    ? `kafka: the broker on ${brokers[0]} accepts clients without authentication (PLAINTEXT) and ${credentialsFile} does not exist; ${stopIt}`
    : `kafka: something listens on ${brokers[0]} but ${credentialsFile} (the embedded broker's credentials) does not exist; ${stopIt}. To use another broker, point KAFKA_BROKERS (and KAFKA_SASL_*) at it`;
}

/**
 * Starts every node of the embedded cluster (one by default) that does not already answer on its
 * port; resolves when the cluster serves requests on every node.
 */
export async function startLocalKafka(options: LocalBrokerOptions): Promise<RunningBroker> {
  const log = options.log ?? console.log;
  const count = options.nodes ?? 1;
  const specs = Array.from({ length: count }, (_, index) => ({
    nodeId: index + 1,
    ...localNodePorts(options.port, index),
  }));
  if (count === 1) specs[0].controllerPort = options.controllerPort;
  const brokers = specs.map((node) => `127.0.0.1:${node.port}`);
  const credentialsFile = options.credentialsFile ?? credentialsFileFor(options.port);
  const dataDirFor = (port: number) =>
    count === 1 && options.dataDir ? options.dataDir : join(options.dataRoot ?? kafkaHome, `data-${port}`);
  const listening = await Promise.all(specs.map((node) => portIsOpen(node.port)));
  if (listening.every(Boolean)) {
    const credentials = readCredentials(credentialsFile);
    if (!credentials) throw new Error(await unusableBrokerMessage(brokers, credentialsFile, dataDirFor(options.port)));
    await waitForKafka(adminConnection(brokers, credentials), 30_000);
    log(
      count === 1
        ? `kafka: reusing the broker already listening on ${brokers[0]}`
        : `kafka: reusing the ${count} nodes already listening on ${brokers.join(', ')}`,
    );
    const withEveryUser = addMissingUsers(options.port, credentials, credentialsFile, log);
    const nodes = specs.map((node) => ({ ...node, startedHere: false }));
    return { brokers, credentials: withEveryUser, startedHere: false, nodes, stop: async () => undefined };
  }
  installKafka(log);
  const dataDirs = specs.map((node) => dataDirFor(node.port));
  for (const dataDir of dataDirs)
    if (existsSync(join(dataDir, 'meta.properties')) && !existsSync(credentialsFile))
      throw new Error(
        `kafka: ${dataDir} was formatted without SASL credentials (before the embedded broker required authentication), and users cannot be added to it now: remove that directory (its topics and messages go with it) and start again`,
      );
  if (listening.some(Boolean) && !readCredentials(credentialsFile))
    throw new Error(await unusableBrokerMessage(brokers, credentialsFile, dataDirs[0]));
  const credentials = loadOrCreateCredentials(credentialsFile);
  const clusterId = clusterIdFor(dataDirs);
  const children: ChildProcess[] = [];
  const nodes: LocalNode[] = [];
  const exits: Promise<never>[] = [];
  const stop = () => Promise.all(children.map((child) => stopProcess(child, 20_000))).then(() => undefined);
  for (const [index, node] of specs.entries()) {
    if (listening[index]) {
      log(`kafka: reusing node ${node.nodeId} already listening on ${brokers[index]}`);
      nodes.push({ ...node, startedHere: false });
      continue;
    }
    const dataDir = dataDirs[index];
    const propertiesFile = writeProperties({
      ...node,
      controllerPorts: specs.map((spec) => spec.controllerPort),
      dataDir,
      credentials,
    });
    if (formatOnce(propertiesFile, dataDir, credentials, clusterId))
      log(
        `kafka: formatted ${dataDir} with SASL users ${Object.keys(credentials.users).join(', ')} (passwords: ${credentialsFile})`,
      );
    const logFile = openSync(join(kafkaHome, `broker-${node.port}.log`), 'a');
    log(
      count === 1
        ? `kafka: starting broker on ${brokers[index]} (log: .kafka/broker-${node.port}.log)`
        : `kafka: starting node ${node.nodeId} of ${count} on ${brokers[index]} (log: .kafka/broker-${node.port}.log)`,
    );
    // A process group of its own: a terminal's Ctrl-C reaches the supervisor only, which stops the
    // broker after the services (their consumers leave their groups while it still answers; a group
    // left with members waits a session timeout at the next start).
    const child = java(['kafka.Kafka', propertiesFile], { stdio: ['ignore', logFile, logFile], detached: true });
    children.push(child);
    nodes.push({ ...node, startedHere: true, pid: child.pid });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`kafka: broker exited with code ${code}; see .kafka/broker-${node.port}.log`)),
      ),
    );
    exited.catch(() => undefined); // observed below through Promise.race; later exits are expected on stop()
    exits.push(exited);
  }
  try {
    // Each node serves clients once the quorum has elected a controller, i.e. once a majority runs.
    const ready = Promise.all(brokers.map((broker) => waitForKafka(adminConnection([broker], credentials))));
    await Promise.race([ready, ...exits]);
  } catch (error) {
    await stop(); // never leave a broker behind that this start could not use
    throw error;
  }
  log(count === 1 ? `kafka: ready on ${brokers[0]}` : `kafka: cluster of ${count} ready on ${brokers.join(', ')}`);
  try {
    return {
      brokers,
      credentials: addMissingUsers(options.port, credentials, credentialsFile, log),
      startedHere: children.length > 0,
      pid: nodes[0].pid,
      nodes,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
