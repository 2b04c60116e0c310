import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { loadConfig } from '@io/config';
import { topics } from '@io/events/catalog';
import { kafkaConnection, type KafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import type { ServiceName } from '@io/registry';
import { replayConnection } from '../subgraphs/monitor/src/events/replay-producer';
import { ensureAcls } from '../scripts/kafka/acls';
import { kafkaHome, waitForKafka } from '../scripts/kafka/local-broker';
import { stopProcess } from '../scripts/stop-process';
import { brokerProperties, compose, composeEnv, containerEnv, containerOf, scramUsers } from './support/compose-file';
import { freePort } from './support/free-port';
import { attemptWrite } from './support/kafka-users';

/**
 * No container engine runs here, so the compose Kafka's configuration runs on this machine instead:
 * the broker properties the apache/kafka image writes from the `kafka` container's variables,
 * formatted with its SCRAM_USERS as docker/kafka/start-with-users.sh does, on the same Kafka
 * (4.1.1, .kafka/libs). Only the addresses change (`kafka:9092` and the ports become free local
 * ones). Then setup and each service log in with their containers' settings.
 */
const libs = `${join(kafkaHome, 'libs')}/*`;
const kafkaEnv = composeEnv(compose.services.kafka);
const users = scramUsers(kafkaEnv);
let home: string;
let broker: ChildProcess | undefined;
let brokers: string[];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'compose-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  brokers = [`127.0.0.1:${port}`];
  const local = (value: string) =>
    value
      .replaceAll('kafka:9092', `127.0.0.1:${port}`)
      .replaceAll('://:9092', `://127.0.0.1:${port}`)
      .replaceAll(':9093', `:${controllerPort}`);
  const properties = [...brokerProperties(kafkaEnv)].map(([name, value]) =>
    name === 'log.dirs' ? `log.dirs=${join(home, 'data')}` : `${name}=${local(value)}`,
  );
  const config = join(home, 'server.properties');
  writeFileSync(config, `${properties.join('\n')}\n`);
  const format = spawnSync(
    'java',
    [
      '-cp',
      libs,
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '--cluster-id',
      kafkaEnv.CLUSTER_ID,
      '--config',
      config,
      ...[...users].flatMap(([name, password]) => ['--add-scram', `SCRAM-SHA-512=[name=${name},password=${password}]`]),
    ],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) throw new Error(`format failed: ${format.stderr || format.stdout}`);
  const log = openSync(join(home, 'broker.log'), 'a');
  broker = spawn(
    'java',
    [
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      `-Dlog4j2.configurationFile=${fromProjectRoot('scripts', 'kafka', 'log4j2.properties')}`,
      '-cp',
      libs,
      'kafka.Kafka',
      config,
    ],
    { stdio: ['ignore', log, log] },
  );
  await waitForKafka(as('admin'), 60_000);
}, 120_000);

afterAll(async () => {
  if (broker) await stopProcess(broker, 20_000);
  rmSync(home, { recursive: true, force: true });
});

function as(user: string, password = users.get(user)!): KafkaConnection {
  return { brokers, sasl: { mechanism: 'scram-sha-512', username: user, password } };
}

/** The connection a service's container makes (its compose environment, this broker's address). */
const containerConnection = (service: ServiceName) =>
  kafkaConnection(loadConfig({ ...containerEnv(containerOf(service)[1]), KAFKA_BROKERS: brokers.join(',') }));

const client = (connection: KafkaConnection, options: Partial<KafkaConfig> = {}) =>
  new Kafka({
    clientId: 'compose-kafka-test',
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...connection,
    ...options,
  });

async function listTopics(connection: KafkaConnection): Promise<string[]> {
  const admin = client(connection).admin();
  try {
    await admin.connect();
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

test('the compose broker refuses a client without credentials or with a wrong password', async () => {
  await expect(listTopics({ brokers })).rejects.toThrow(/Closed connection/);
  await expect(listTopics(as('orders', `${users.get('orders')}x`))).rejects.toMatchObject({
    name: 'KafkaJSSASLAuthenticationError',
  });
});

test("setup, as the admin, creates the topics and ACLs; then each service's container writes only what its user may", async () => {
  const setup = kafkaConnection(
    loadConfig({ ...containerEnv(compose.services.setup), KAFKA_BROKERS: brokers.join(',') }),
  );
  const admin = client(setup).admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topicNamer(''));
    await ensureAcls(admin, '');
  } finally {
    await admin.disconnect();
  }
  // Each logs in, and sees only the topics its ACLs name (the gateway: those of its subscriptions).
  for (const service of ['inventory', 'orders', 'monitor'] as const)
    expect(await listTopics(containerConnection(service))).toContain(topics.deadLetters);
  expect((await listTopics(containerConnection('gateway'))).sort()).toEqual(
    [topics.alertRaised, topics.orderStatusChanged, topics.stockChanged].sort(),
  );

  expect(await attemptWrite(client(containerConnection('orders')), topics.orderCancelled)).toBe('written');
  expect(await attemptWrite(client(containerConnection('monitor')), topics.alertRaised)).toBe('written');
  for (const service of ['inventory', 'monitor', 'gateway'] as const)
    expect(await attemptWrite(client(containerConnection(service)), topics.orderCancelled)).toBe(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  // The monitor's replays log in as the dead-letter replayer, which may write what consumers read.
  const monitorConfig = loadConfig({ ...containerEnv(containerOf('monitor')[1]), KAFKA_BROKERS: brokers.join(',') });
  const replays = replayConnection(monitorConfig, createLogger('test', 'silent'));
  expect(replays.sasl).toMatchObject({ username: 'dead-letter-replayer' });
  expect(await attemptWrite(client(replays), topics.orderCancelled)).toBe('written');
});
