import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig, servicePort, subgraphUrl } from '@io/config';
import { authMode, hopSecret } from '@io/auth/mode';
import { kafkaConnection } from '@io/kafka/client';
import { fromProjectRoot } from '@io/project-root';
import { replayUserOf, replayUsers, serviceNamed, serviceNames, subgraphNames } from '@io/registry';
import { adminUser } from '../scripts/kafka/credentials';
import { mallocSettings } from '../scripts/launch';
import {
  appServices as appServicesOf,
  brokerProperties,
  compose,
  composeEnv,
  composeFile,
  containerEnv,
  containerOf,
  listenersOf,
  operatorSecrets,
  parseCompose,
  scramUsers,
  type ComposeService,
} from './support/compose-file';

/**
 * No container engine runs here, so docker-compose.yml is checked against the Compose specification
 * (dclint validates it with the specification's JSON schema) and against the code it runs: every
 * service's configuration loads, its ports and URLs agree, its build and entry files exist, and
 * Kafka takes only authenticated clients (test/compose-kafka.e2e.ts runs its broker configuration).
 */
// dclint's published types do not resolve under this project's CommonJS settings: the part used here.
interface Linter {
  lintFiles(paths: string[], recursive: boolean): { messages: { rule: string; type: string; message: string }[] }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DCLinter } = require('dclint') as { DCLinter: new (config: object) => Linter };

// Only the specification and the linter's correctness and security rules; its key-ordering rules are style.
const styleRules = [
  'require-project-name-field',
  'require-quotes-in-ports',
  'service-dependencies-alphabetical-order',
  'service-keys-order',
  'service-ports-alphabetical-order',
  'services-alphabetical-order',
  'top-level-properties-order',
];
const linter = new DCLinter({
  rules: Object.fromEntries(styleRules.map((rule) => [rule, 0])),
  quiet: true,
  debug: false,
  exclude: [],
});
const lintErrors = (file: string) =>
  linter
    .lintFiles([file], false)
    .flatMap((result) => result.messages)
    .filter((message) => message.type === 'error')
    .map((message) => `${message.rule}: ${message.message}`);

const appServices = appServicesOf();

test('follows the Compose specification, with no linter error', () => {
  expect(lintErrors(composeFile)).toEqual([]);
});

test('the specification check catches a malformed file (the check above can fail)', () => {
  const broken = parse(readFileSync(composeFile, 'utf8')) as { services: Record<string, ComposeService> };
  (broken.services.inventory.deploy as Record<string, unknown>) = { replicas: 'two', colour: 'red' };
  const file = join(mkdtempSync(join(tmpdir(), 'compose-')), 'docker-compose.yml');
  writeFileSync(file, stringify(broken));
  expect(lintErrors(file).join('\n')).toMatch(/invalid-schema/);
});

test('runs every registered service in a container of the shared image', () => {
  for (const name of serviceNames) {
    const [, service] = containerOf(name);
    expect(existsSync(fromProjectRoot(service.build!.context, service.build!.dockerfile))).toBe(true);
  }
  expect(existsSync(fromProjectRoot('docker', 'Dockerfile'))).toBe(true);
});

test.each(serviceNames.map((name) => [name]))(
  '%s runs in its container with the allocator settings `npm start` gives it',
  (name) => {
    const env = containerEnv(containerOf(name)[1]);
    for (const [variable, value] of Object.entries(mallocSettings(serviceNamed(name).kind)))
      expect([variable, String(env[variable])]).toEqual([variable, value]);
  },
);

test.each(serviceNames.map((name) => [name]))(
  '%s loads its configuration in production mode, listens on the port the others call it on',
  (name) => {
    const [containerName, service] = containerOf(name);
    const config = loadConfig(containerEnv(service));
    expect(config.NODE_ENV).toBe('production');
    expect(config.HOST).toBe('0.0.0.0');
    // Production refuses to start without auth and the hop secret: the compose file provides both.
    expect(authMode(config).kind).toBe('tokens');
    expect(hopSecret(config)).toBe(operatorSecrets.SUBGRAPH_HOP_SECRET);
    const port = servicePort(config, name);
    for (const [, caller] of appServices) {
      const callerConfig = loadConfig(containerEnv(caller));
      if (subgraphNames.includes(name as never)) {
        expect(subgraphUrl(callerConfig, name as never)).toBe(`http://${containerName}:${port}/graphql`);
      }
    }
    expect(serviceNamed(name).healthPath).toMatch(/^\//);
  },
);

test("publishes the gateway on port 80 too, so the replaced system's http://localhost/api/... URLs work", () => {
  const [, gateway] = containerOf('gateway');
  const port = servicePort(loadConfig(containerEnv(gateway)), 'gateway');
  const published = (gateway.ports ?? []).map((mapping) => mapping.split(':').slice(-2).join(':'));
  expect(published).toEqual(expect.arrayContaining([`${port}:${port}`, `80:${port}`]));
});

test('runs every subgraph as replicas, and the gateway once they are healthy', () => {
  for (const name of subgraphNames) expect(containerOf(name)[1].deploy?.replicas).toBeGreaterThanOrEqual(2);
  const [, gateway] = containerOf('gateway');
  for (const name of subgraphNames) {
    expect(gateway.depends_on?.[containerOf(name)[0]]).toEqual({ condition: 'service_healthy' });
  }
});

test('runs the setup step once, from a compiled entry that exists in the source tree, before any service', () => {
  const setup = compose.services.setup;
  const compiled = setup.command!.find((arg) => arg.startsWith('dist/'))!;
  expect(existsSync(fromProjectRoot(compiled.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
  expect(setup.depends_on).toEqual({
    postgres: { condition: 'service_healthy' },
    kafka: { condition: 'service_healthy' },
  });
  for (const name of subgraphNames) {
    expect(containerOf(name)[1].depends_on?.setup).toEqual({ condition: 'service_completed_successfully' });
  }
});

test('points every service at the compose network’s PostgreSQL and Kafka', () => {
  for (const [, service] of appServices) {
    const config = loadConfig(containerEnv(service));
    expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
    expect(config.KAFKA_BROKERS).toBe('kafka:9092');
  }
  expect(compose.services.kafka.image).toMatch(/^apache\/kafka:\d/);
});

test('keeps Kafka UI optional (a profile) and reachable from this machine only', () => {
  const ui = compose.services['kafka-ui'];
  expect(ui.profiles).toEqual(['ui']);
  expect(ui.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:/)]);
});

/** The Kafka users the broker must have: the admin, each registered service, each dead-letter replayer. */
const kafkaUsers = [adminUser, ...serviceNames, ...replayUsers].sort();
const saslProtocols = ['SASL_PLAINTEXT', 'SASL_SSL'];

/** What would let a client reach the compose Kafka without logging in, or as another service's user. */
function kafkaSecurityProblems(file: { services: Record<string, ComposeService> }): string[] {
  const problems: string[] = [];
  const kafka = file.services.kafka;
  const env = composeEnv(kafka);
  const properties = brokerProperties(env);
  for (const property of ['listeners', 'advertised.listeners'] as const)
    for (const listener of listenersOf(properties, property))
      if (!saslProtocols.includes(listener.protocol))
        problems.push(`kafka: ${property} ${listener.name} is ${listener.protocol}, without authentication`);
  const controllers = properties.get('controller.listener.names')?.split(',') ?? [];
  for (const listener of listenersOf(properties, 'listeners').filter(({ name }) => controllers.includes(name)))
    if (listener.host !== '127.0.0.1')
      problems.push(`kafka: the controller listens beyond its container (${listener.host || 'every interface'})`);
  const expected: Record<string, string> = {
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found': 'false',
    'super.users': `User:${adminUser}`,
  };
  for (const [property, value] of Object.entries(expected))
    if (properties.get(property) !== value)
      problems.push(`kafka: ${property} is ${properties.get(property)}, not ${value}`);
  if ((kafka.ports ?? []).length > 0) problems.push('kafka: publishes ports beyond the compose network');
  const users = scramUsers(env);
  if ([...users.keys()].sort().join() !== kafkaUsers.join())
    problems.push(`kafka: SCRAM_USERS has ${[...users.keys()].join(', ')}, not ${kafkaUsers.join(', ')}`);

  // Every container that talks to Kafka logs in as its user, with the password the broker has for it.
  const clients = Object.entries(file.services).filter(
    ([name, service]) =>
      name !== 'kafka' && Object.values(composeEnv(service)).some((value) => value.includes('kafka:9092')),
  );
  for (const [name, service] of clients) {
    if (name === 'kafka-ui') {
      const uiEnv = composeEnv(service);
      const login = uiEnv.KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG ?? '';
      if (!saslProtocols.includes(uiEnv.KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL))
        problems.push('kafka-ui: connects without SASL');
      else if (!login.includes(`username="${adminUser}" password="${users.get(adminUser)}"`))
        problems.push('kafka-ui: logs in with credentials the broker does not have');
      continue;
    }
    if (!service.build) {
      problems.push(`${name}: a Kafka client this test does not know how to check`);
      continue;
    }
    const config = loadConfig(containerEnv(service));
    const user = (service.environment?.SERVICE as string | undefined) ?? adminUser;
    const sasl = kafkaConnection(config).sasl as { mechanism: string; username: string; password: string } | undefined;
    if (!sasl) {
      problems.push(`${name}: connects to Kafka without SASL`);
      continue;
    }
    if (sasl.mechanism !== 'scram-sha-512' || sasl.username !== user || sasl.password !== users.get(user))
      problems.push(`${name}: logs in as ${sasl.username} (${sasl.mechanism}), not as ${user} with its password`);
    const replayer = user === adminUser ? undefined : replayUserOf(serviceNamed(user as never));
    if (
      replayer &&
      (config.KAFKA_REPLAY_SASL_USERNAME !== replayer || config.KAFKA_REPLAY_SASL_PASSWORD !== users.get(replayer))
    )
      problems.push(`${name}: replays dead letters without the ${replayer} user`);
  }
  return problems;
}

test('Kafka takes only authenticated clients: SASL/SCRAM listeners, ACLs enforced, the controller inside its container', () => {
  expect(kafkaSecurityProblems(compose)).toEqual([]);
  const properties = brokerProperties(composeEnv(compose.services.kafka));
  expect(listenersOf(properties, 'advertised.listeners')).toEqual([
    { name: 'SASL_PLAINTEXT', host: 'kafka', port: 9092, protocol: 'SASL_PLAINTEXT' },
  ]);
  expect(properties.get('controller.quorum.voters')).toBe('1@127.0.0.1:9093');
  // The image writes these two properties from the variables' escaped names: spelled right, they are Kafka's.
  expect([...properties.keys()]).toEqual(
    expect.arrayContaining([
      'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config',
      'listener.name.controller.plain.sasl.jaas.config',
    ]),
  );
  expect(properties.get('log.dirs')).toBe('/var/lib/kafka/data');
  expect(compose.services.kafka.volumes).toContain('kafka-data:/var/lib/kafka/data');
});

test('every Kafka client container (services, setup, Kafka UI) logs in as its own user, with the password the broker was formatted with', () => {
  const users = scramUsers(composeEnv(compose.services.kafka));
  expect([...users.keys()].sort()).toEqual(kafkaUsers);
  // Each its own password: no two users share one.
  expect(new Set(users.values()).size).toBe(users.size);
  const setup = kafkaConnection(loadConfig(containerEnv(compose.services.setup))).sasl;
  expect(setup).toEqual({
    mechanism: 'scram-sha-512',
    username: adminUser,
    password: operatorSecrets.KAFKA_ADMIN_PASSWORD,
  });
  const monitor = loadConfig(containerEnv(containerOf('monitor')[1]));
  expect([monitor.KAFKA_REPLAY_SASL_USERNAME, monitor.KAFKA_REPLAY_SASL_PASSWORD]).toEqual([
    'dead-letter-replayer',
    operatorSecrets.KAFKA_REPLAYER_PASSWORD,
  ]);
});

test('the Kafka checks fail for a PLAINTEXT listener, an open controller, a client without SASL or with another user', () => {
  const broken = (change: (file: { services: Record<string, ComposeService> }) => void) => {
    const file = parseCompose(readFileSync(composeFile, 'utf8'));
    change(file);
    return kafkaSecurityProblems(file);
  };
  expect(
    broken((file) => {
      file.services.kafka.environment!.KAFKA_LISTENERS = 'PLAINTEXT://:9092,CONTROLLER://127.0.0.1:9093';
      file.services.kafka.environment!.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP =
        'PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT';
    }),
  ).toEqual(['kafka: listeners PLAINTEXT is PLAINTEXT, without authentication']);
  expect(
    broken((file) => {
      file.services.kafka.environment!.KAFKA_LISTENERS = 'SASL_PLAINTEXT://:9092,CONTROLLER://:9093';
      file.services.kafka.environment!.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND = 'true';
    }),
  ).toEqual([
    'kafka: the controller listens beyond its container (every interface)',
    'kafka: allow.everyone.if.no.acl.found is true, not false',
  ]);
  expect(
    broken((file) => {
      const orders = file.services.orders.environment!;
      delete orders.KAFKA_SASL_MECHANISM;
      delete orders.KAFKA_SASL_USERNAME;
      delete orders.KAFKA_SASL_PASSWORD;
      file.services.inventory.environment!.KAFKA_SASL_USERNAME = 'orders';
      delete file.services.monitor.environment!.KAFKA_REPLAY_SASL_USERNAME;
      delete file.services.monitor.environment!.KAFKA_REPLAY_SASL_PASSWORD;
    }),
  ).toEqual([
    'inventory: logs in as orders (scram-sha-512), not as inventory with its password',
    'orders: connects to Kafka without SASL',
    'monitor: replays dead letters without the dead-letter-replayer user',
  ]);
});

test('the Kafka container starts through docker/kafka/start-with-users.sh, mounted from this tree, valid bash', () => {
  const kafka = compose.services.kafka;
  const [, script] = kafka.command!;
  const mount = kafka.volumes!.find((volume) => volume.endsWith(`:${script}:ro`))!;
  const source = fromProjectRoot(mount.split(':')[0]);
  expect(existsSync(source)).toBe(true);
  expect(spawnSync('bash', ['-n', source], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
  // It formats the volume named by KAFKA_LOG_DIRS with every SCRAM_USERS user, then runs the broker.
  const text = readFileSync(source, 'utf8');
  expect(text).toMatch(
    /kafka-storage\.sh format --ignore-formatted --cluster-id "\$CLUSTER_ID" --config "\$config" "\$\{scram\[@\]\}"/,
  );
  expect(text).toMatch(/exec \/opt\/kafka\/bin\/kafka-server-start\.sh "\$config"/);
  // The healthcheck logs in with the admin's client properties the script writes.
  const clientProperties = kafka.healthcheck!.test!.at(-1)!;
  expect(text).toContain(`cat >${clientProperties} <<EOF`);
});
