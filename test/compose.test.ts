import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConfig, servicePort, subgraphUrl } from '@io/config';
import { authMode, hopSecret } from '@io/auth/mode';
import { fromProjectRoot } from '@io/project-root';
import { serviceNamed, serviceNames, subgraphNames, type ServiceName } from '@io/registry';

/**
 * No container engine runs here, so docker-compose.yml is checked against the Compose specification
 * (dclint validates it with the specification's JSON schema) and against the code it runs: every
 * service's configuration loads, its ports and URLs agree, its build and entry files exist.
 */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  ports?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  profiles?: string[];
}

const composeFile = fromProjectRoot('docker-compose.yml');
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const dockerfile = readFileSync(fromProjectRoot('docker', 'Dockerfile'), 'utf8');

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

/** Variables the file requires from whoever runs it (`${NAME:?...}`), supplied as an operator would. */
const operatorSecrets = { AUTH_JWT_SECRET: 'c'.repeat(40), SUBGRAPH_HOP_SECRET: 'h'.repeat(40) };
const interpolate = (value: string | number) =>
  String(value).replace(/\$\{(\w+)(?::[?-][^}]*)?\}/g, (_match, name: string) => {
    const supplied = operatorSecrets[name as keyof typeof operatorSecrets];
    if (supplied === undefined)
      throw new Error(`docker-compose.yml reads \${${name}}, which this test does not supply`);
    return supplied;
  });

/** The environment a container of this service sees: the image's ENV lines, then compose's. */
function containerEnv(service: ComposeService): NodeJS.ProcessEnv {
  const imageEnv = Object.fromEntries(
    [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((line) =>
      line[1].split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  );
  const composeEnv = Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(value)]),
  );
  return { ...imageEnv, ...composeEnv };
}

const appServices = Object.entries(compose.services).filter(([, service]) => service.build);
const containerOf = (name: ServiceName) => {
  const found = appServices.find(([, service]) => service.environment?.SERVICE === name);
  if (!found) throw new Error(`no container runs SERVICE=${name}`);
  return found;
};

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
