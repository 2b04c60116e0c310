import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger, type Logger } from '@io/logger';
import { fromProjectRoot } from '@io/project-root';
import type { RunningService } from '@io/service/runtime';
import { gatewayAuth } from '../../gateway/src/auth/settings';
import { responseCacheOptions } from '../../gateway/src/response-cache';
import { subgraphCalls } from '../../gateway/src/subgraph-breaker';
import { startGateway, type RunningGateway } from '../../gateway/src/server';
import { gatewayProtection } from '../../gateway/src/protection';
import { subscriptionLimits } from '../../gateway/src/subscriptions/limits';
import { composeSupergraph } from '../../gateway/src/supergraph';
import {
  services as registry,
  subgraphs,
  type ServiceName as RegisteredName,
  type SubgraphEntry,
  type SubgraphName,
} from '@io/registry';
import type { EmbeddedCredentials } from '../../scripts/kafka/credentials';
import { freePort } from './free-port';
import { brokerCredentials, grantAcls, serviceKafkaEnv } from './kafka-users';
import { createTestDatabase } from './test-database';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

type ServiceName = SubgraphName;
type Starter = (config: Config, logger: Logger, port: number) => Promise<RunningService>;

/** The function the registry names in the subgraph's module (loaded by name, so no list of subgraphs lives here). */
function starterOf(entry: SubgraphEntry): Starter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
  const module = require(fromProjectRoot(entry.starter.module)) as Record<string, Starter>;
  return module[entry.starter.export];
}

export interface TestSystem {
  config: Config;
  gatewayUrl: string;
  gateway: RunningGateway;
  services: Record<ServiceName, RunningService>;
  /** Stops a service the way a crash would leave things (its consumer and relay gone mid-flight). */
  stop: (name: ServiceName) => Promise<void>;
  /** Starts a stopped service again on its old port. */
  start: (name: ServiceName) => Promise<void>;
  /** Through the gateway over HTTP, with `token` as the bearer token (none: the development caller, admin). */
  graphql: <T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
}

/**
 * The whole system in this process, on real Kafka and PostgreSQL: its own database, its own topic
 * prefix (so consumer groups and topics are private to the test file), every server on a free port.
 * Auth is in development mode unless `overrides` configure it; the gateway→subgraph hop is signed
 * with a secret of its own, as `npm start` does. Each service reaches Kafka as its own user, under
 * the ACLs `npm run setup` would create for the prefix; `config` (the test's own clients) is the admin.
 */
export async function startTestSystem(
  overrides: Record<string, string> = {},
  /** The users of a broker the test started itself (the suite's broker's are found on their own). */
  options: { kafkaCredentials?: EmbeddedCredentials } = {},
): Promise<TestSystem> {
  const database = await createTestDatabase();
  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const ports = Object.fromEntries(
    await Promise.all(registry.map(async (entry) => [entry.name, await freePort()])),
  ) as Record<RegisteredName, number>;
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    KAFKA_TOPIC_PREFIX: prefix,
    OUTBOX_POLL_MS: '500',
    HEALTH_CHECK_INTERVAL_MS: '1000',
    // Tests stop and restart subgraphs, then call them at once: an open circuit must not outlive the restart by long.
    SUBGRAPH_BREAKER_HALF_OPEN_MS: '200',
    // A test machine running many suites at once answers slowly; only test/process-faults.e2e.ts tests the timeout.
    SUBGRAPH_TIMEOUT_MS: '30000',
    SUBGRAPH_HOP_SECRET: randomBytes(32).toString('base64url'),
    ...Object.fromEntries(registry.map((entry) => [entry.portVariable, String(ports[entry.name])])),
    ...overrides,
  };
  const config = loadConfig(env);
  const credentials = brokerCredentials(config, options.kafkaCredentials);
  const configOf = (name: RegisteredName) =>
    credentials ? loadConfig({ ...env, ...serviceKafkaEnv(credentials, name) }) : config;
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const admin = createKafka('test-admin', kafkaConnection(config), logger).admin();
  await admin.connect();
  const created = await ensureTopics(admin, topicNamer(prefix));
  const acls = await grantAcls(admin, prefix, credentials);

  const starters = Object.fromEntries(subgraphs.map((entry) => [entry.name, starterOf(entry)])) as Record<
    ServiceName,
    Starter
  >;
  const services = {} as Record<ServiceName, RunningService>;
  const start = async (name: ServiceName) => {
    services[name] = await starters[name](configOf(name), logger.child({ service: name }), ports[name]);
  };
  const stopped = new Set<ServiceName>();
  for (const { name } of subgraphs) await start(name);
  const subgraphUrls = Object.fromEntries(
    subgraphs.map(({ name }) => [name, `${services[name].url}/graphql`]),
  ) as Record<ServiceName, string>;
  const gateway = await startGateway({
    auth: gatewayAuth(config),
    supergraphSdl: composeSupergraph(),
    subgraphUrls,
    logger,
    port: ports.gateway,
    events: {
      kafka: createKafka('test-gateway', kafkaConnection(configOf('gateway')), logger),
      topicName: topicNamer(prefix),
      limits: subscriptionLimits(config),
    },
    protection: gatewayProtection(config),
    responseCache: responseCacheOptions(config),
    metricsToken: config.METRICS_TOKEN,
    subgraphCalls: subgraphCalls(config),
  });

  return {
    config,
    gatewayUrl: gateway.url,
    gateway,
    services,
    stop: async (name) => {
      stopped.add(name);
      await services[name].close();
    },
    start: async (name) => {
      await start(name);
      stopped.delete(name);
    },
    graphql: async (query, variables, token) => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    close: async () => {
      await gateway.close();
      await Promise.all(
        (Object.keys(services) as ServiceName[])
          .filter((name) => !stopped.has(name))
          .map((name) => services[name].close()),
      );
      await admin.deleteTopics({ topics: created });
      await acls.revoke();
      await admin.disconnect();
      await database.drop();
    },
  };
}
