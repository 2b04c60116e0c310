import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { fromProjectRoot } from '@io/project-root';
import { stopProcess } from '../stop-process';

/**
 * A real single-node Apache Kafka broker (KRaft) for development and tests: downloaded from
 * Maven Central once, formatted once, started when nothing listens on its port.
 */
export const kafkaHome = fromProjectRoot('.kafka');
// Its Maven and broker configuration, read from the source tree also when this runs compiled.
const kafkaScripts = fromProjectRoot('scripts', 'kafka');
const libsDir = join(kafkaHome, 'libs');

export interface LocalBrokerOptions {
  port: number;
  controllerPort: number;
  /** Log directory; defaults to .kafka/data-<port> so brokers on different ports never share one. */
  dataDir?: string;
  log?: (line: string) => void;
}

export interface RunningBroker {
  brokers: string[];
  /** False when a broker was already listening and was reused: then stop() leaves it alone. */
  startedHere: boolean;
  /** The broker's process when started here (fault tests stop and continue it). */
  pid?: number;
  stop(): Promise<void>;
}

export class MissingToolError extends Error {}

function requireTool(command: string, args: string[], advice: string): void {
  const probe = spawnSync(command, args, { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new MissingToolError(`${command} not found: ${advice}`);
}

export function isKafkaInstalled(): boolean {
  return existsSync(libsDir) && readdirSync(libsDir).some((jar) => /^kafka_2\.13-.*\.jar$/.test(jar));
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
      `-Dlog4j2.configurationFile=${join(kafkaScripts, 'log4j2.properties')}`,
      '-cp',
      `${libsDir}/*`,
      ...args,
    ],
    options,
  );
}

function writeProperties(options: Required<Omit<LocalBrokerOptions, 'log'>>): string {
  const template = readFileSync(join(kafkaScripts, 'server.properties.template'), 'utf8');
  const properties = template
    .replaceAll('${PORT}', String(options.port))
    .replaceAll('${CONTROLLER_PORT}', String(options.controllerPort))
    .replaceAll('${LOG_DIR}', options.dataDir);
  const file = join(kafkaHome, `server-${options.port}.properties`);
  writeFileSync(file, properties);
  return file;
}

function formatOnce(propertiesFile: string, dataDir: string): void {
  if (existsSync(join(dataDir, 'meta.properties'))) return;
  mkdirSync(dataDir, { recursive: true });
  const clusterId = spawnSync('java', ['-cp', `${libsDir}/*`, 'kafka.tools.StorageTool', 'random-uuid'], {
    encoding: 'utf8',
  });
  if (clusterId.status !== 0) throw new Error(`kafka: random-uuid failed: ${clusterId.stderr}`);
  const format = spawnSync(
    'java',
    ['-cp', `${libsDir}/*`, 'kafka.tools.StorageTool', 'format', '-t', clusterId.stdout.trim(), '-c', propertiesFile],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) throw new Error(`kafka: storage format failed: ${format.stderr || format.stdout}`);
}

export async function waitForKafka(brokers: string[], timeoutMs = 60_000): Promise<void> {
  const admin = new Kafka({
    clientId: 'readiness',
    brokers,
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
      await new Promise((wake) => setTimeout(wake, 250));
    }
  }
  throw new Error(`kafka: not ready on ${brokers.join(',')} after ${timeoutMs} ms: ${String(lastError)}`);
}

/** Starts the broker unless one already answers on the port; resolves when it serves requests. */
export async function startLocalKafka(options: LocalBrokerOptions): Promise<RunningBroker> {
  const log = options.log ?? console.log;
  const brokers = [`127.0.0.1:${options.port}`];
  if (await portIsOpen(options.port)) {
    await waitForKafka(brokers, 30_000);
    log(`kafka: reusing the broker already listening on ${brokers[0]}`);
    return { brokers, startedHere: false, stop: async () => undefined };
  }
  installKafka(log);
  const dataDir = options.dataDir ?? join(kafkaHome, `data-${options.port}`);
  const propertiesFile = writeProperties({ port: options.port, controllerPort: options.controllerPort, dataDir });
  formatOnce(propertiesFile, dataDir);
  const logFile = openSync(join(kafkaHome, `broker-${options.port}.log`), 'a');
  log(`kafka: starting broker on ${brokers[0]} (log: .kafka/broker-${options.port}.log)`);
  // A process group of its own: a terminal's Ctrl-C reaches the supervisor only, which stops the
  // broker after the services (their consumers leave their groups while it still answers; a group
  // left with members waits a session timeout at the next start).
  const child = java(['kafka.Kafka', propertiesFile], { stdio: ['ignore', logFile, logFile], detached: true });
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`kafka: broker exited with code ${code}; see .kafka/broker-${options.port}.log`)),
    ),
  );
  exited.catch(() => undefined); // observed below through Promise.race; later exits are expected on stop()
  await Promise.race([waitForKafka(brokers), exited]);
  log(`kafka: ready on ${brokers[0]}`);
  return { brokers, startedHere: true, pid: child.pid, stop: () => stopProcess(child, 20_000) };
}
