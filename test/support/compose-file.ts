import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fromProjectRoot } from '@io/project-root';
import type { ServiceName } from '@io/registry';

/** docker-compose.yml read as Compose reads it (YAML merge keys, `${...}` interpolation), for the tests that check it. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  ports?: string[];
  command?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  profiles?: string[];
  healthcheck?: { test?: string[] };
}

export const composeFile = fromProjectRoot('docker-compose.yml');
export const parseCompose = (text: string) =>
  parse(text, { merge: true }) as { services: Record<string, ComposeService> };
export const compose = parseCompose(readFileSync(composeFile, 'utf8'));
const dockerfile = readFileSync(fromProjectRoot('docker', 'Dockerfile'), 'utf8');

/**
 * Variables the file requires from whoever runs it (`${NAME:?...}`), supplied as an operator would
 * (each Kafka password its own, so a container given another's is caught); `${NAME:-default}` left
 * unset takes its default.
 */
export const operatorSecrets = {
  AUTH_JWT_SECRET: 'c'.repeat(40),
  SUBGRAPH_HOP_SECRET: 'h'.repeat(40),
  KAFKA_ADMIN_PASSWORD: 'admin-password-0123456789',
  KAFKA_INVENTORY_PASSWORD: 'inventory-password-0123456789',
  KAFKA_ORDERS_PASSWORD: 'orders-password-0123456789',
  KAFKA_MONITOR_PASSWORD: 'monitor-password-0123456789',
  KAFKA_GATEWAY_PASSWORD: 'gateway-password-0123456789',
  KAFKA_REPLAYER_PASSWORD: 'replayer-password-0123456789',
};

const interpolate = (value: string | number) =>
  String(value).replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_match, name: string, kind?: string, fallback?: string) => {
    const supplied = operatorSecrets[name as keyof typeof operatorSecrets] ?? (kind === '-' ? fallback : undefined);
    if (supplied === undefined)
      throw new Error(`docker-compose.yml reads \${${name}}, which this test does not supply`);
    return supplied;
  });

/** A container's environment as compose gives it (interpolated), without the image's. */
export const composeEnv = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([name, value]) => [name, interpolate(value)]));

/** The environment a container of this service sees: the image's ENV lines (docker/Dockerfile), then compose's. */
export function containerEnv(service: ComposeService): NodeJS.ProcessEnv {
  const imageEnv = Object.fromEntries(
    [...dockerfile.matchAll(/^ENV (.+)$/gm)].flatMap((line) =>
      line[1].split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  );
  return { ...imageEnv, ...composeEnv(service) };
}

export const appServices = (file = compose) => Object.entries(file.services).filter(([, service]) => service.build);

export function containerOf(name: ServiceName, file = compose): [string, ComposeService] {
  const found = appServices(file).find(([, service]) => service.environment?.SERVICE === name);
  if (!found) throw new Error(`no container runs SERVICE=${name}`);
  return found;
}

/** Variables the apache/kafka image reads itself (KafkaDockerWrapper's ExcludeServerPropsEnv), not broker properties. */
const notProperties = new Set([
  'KAFKA_VERSION',
  'KAFKA_HEAP_OPTS',
  'KAFKA_LOG4J_OPTS',
  'KAFKA_OPTS',
  'KAFKA_JMX_OPTS',
  'KAFKA_JVM_PERFORMANCE_OPTS',
  'KAFKA_GC_LOG_OPTS',
  'KAFKA_LOG4J_ROOT_LOGLEVEL',
  'KAFKA_LOG4J_LOGGERS',
  'KAFKA_TOOLS_LOG4J_LOGLEVEL',
  'KAFKA_JMX_HOSTNAME',
]);

/**
 * The broker properties the apache/kafka image writes from a container's KAFKA_* variables, by its
 * rule (KafkaDockerWrapper): drop `KAFKA_`, lower case, `_` → `.`, then `...` → `-` and `..` → `_`.
 */
export function brokerProperties(env: Record<string, string>): Map<string, string> {
  return new Map(
    Object.entries(env)
      .filter(([name]) => name.startsWith('KAFKA_') && !notProperties.has(name))
      .map(([name, value]) => [
        name.replace('KAFKA_', '').toLowerCase().replaceAll('_', '.').replaceAll('...', '-').replaceAll('..', '_'),
        value,
      ]),
  );
}

/** SCRAM_USERS of the Kafka container (`name=password ...`, what docker/kafka/start-with-users.sh formats the volume with). */
export function scramUsers(env: Record<string, string>): Map<string, string> {
  return new Map(
    (env.SCRAM_USERS ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

/** Every `name://host:port` of a listeners property, with the protocol the security map gives its name. */
export function listenersOf(properties: Map<string, string>, property: 'listeners' | 'advertised.listeners') {
  const protocols = new Map(
    (properties.get('listener.security.protocol.map') ?? '')
      .split(',')
      .map((pair) => pair.split(':') as [string, string]),
  );
  return (properties.get(property) ?? '')
    .split(',')
    .filter(Boolean)
    .map((listener) => {
      const [, name, host, port] = /^([A-Z_]+):\/\/([^:]*):(\d+)$/.exec(listener) ?? [];
      return { name, host, port: Number(port), protocol: protocols.get(name) ?? name };
    });
}
