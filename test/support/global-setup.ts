// Jest runs the global setup outside its module system (no moduleNameMapper): resolve @io/* by tsconfig.json.
import 'tsconfig-paths/register';
import { loadConfig } from '@io/config';
import { adminUser, credentialsEnv } from '../../scripts/kafka/credentials';
import { startLocalKafka, type RunningBroker } from '../../scripts/kafka/local-broker';

declare global {
  // handed from global setup to global teardown
  var __testKafka: RunningBroker | undefined;
}

/**
 * Starts the embedded Kafka broker for the e2e suite unless one is already running. The test
 * processes (started after this, with this environment) are its admin; the systems they start run
 * each service as its own user (test/support/kafka-users.ts).
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  globalThis.__testKafka = await startLocalKafka({
    port: config.KAFKA_PORT,
    controllerPort: config.KAFKA_CONTROLLER_PORT,
    nodes: config.KAFKA_BROKERS_LOCAL,
    log: () => undefined,
  });
  process.env.KAFKA_BROKERS = globalThis.__testKafka.brokers.join(',');
  Object.assign(process.env, credentialsEnv(globalThis.__testKafka.credentials, adminUser));
}
