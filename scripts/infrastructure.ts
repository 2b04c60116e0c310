import type { Admin } from 'kafkajs';
import type { Config } from '@io/config';
import { migrateAll } from '@io/db/migrate-all';
import { createKafka, kafkaConnection, type KafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer, weakTopics } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import type { ServiceName } from '@io/registry';
import { ensureAcls } from './kafka/acls';
import { serviceCredentialsEnv, usesEmbeddedBroker } from './kafka/credentials';
import { adminConnection, startLocalKafka, waitForKafka } from './kafka/local-broker';

export interface Infrastructure {
  /** Stops the embedded broker if it was started for this. */
  stop(): Promise<void>;
  /**
   * The variables a service's process needs to reach Kafka as itself: its own user of the embedded
   * broker (and the monitor's replayer user, KAFKA_REPLAY_SASL_*); nothing when KAFKA_SASL_* are set by hand or the cluster is external (the
   * configuration's own settings apply).
   */
  kafkaEnv(service: ServiceName): Record<string, string>;
}

/**
 * What the services need before they start: a Kafka broker (the embedded one is started when
 * KAFKA_BROKERS points at it and nothing listens yet), every topic and the ACLs of this
 * environment, and a migrated database.
 */
export async function prepareInfrastructure(config: Config, log: (line: string) => void): Promise<Infrastructure> {
  let infrastructure: Infrastructure;
  let admin: KafkaConnection;
  const byHand = Boolean(config.KAFKA_SASL_MECHANISM);
  if (usesEmbeddedBroker(config)) {
    const broker = await startLocalKafka({
      port: config.KAFKA_PORT,
      controllerPort: config.KAFKA_CONTROLLER_PORT,
      nodes: config.KAFKA_BROKERS_LOCAL,
      log,
    });
    admin = byHand ? kafkaConnection(config) : adminConnection(broker.brokers, broker.credentials);
    infrastructure = {
      stop: () => broker.stop(),
      // Every node as bootstrap: a service started while one node is down still finds the cluster.
      kafkaEnv: (service) => ({
        ...(broker.brokers.length > 1 ? { KAFKA_BROKERS: broker.brokers.join(',') } : {}),
        ...(byHand ? {} : serviceCredentialsEnv(broker.credentials, service)),
      }),
    };
  } else {
    admin = kafkaConnection(config);
    await waitForKafka(admin);
    infrastructure = { stop: async () => undefined, kafkaEnv: () => ({}) };
  }
  try {
    const client = createKafka('setup', admin, createLogger('setup', 'warn')).admin();
    await client.connect();
    try {
      const created = await ensureTopics(client, topicNamer(config.KAFKA_TOPIC_PREFIX));
      log(created.length > 0 ? `kafka: created topics ${created.join(', ')}` : 'kafka: topics present');
      for (const weak of await weakTopics(client, topicNamer(config.KAFKA_TOPIC_PREFIX)))
        log(`kafka: warning: ${weak}`);
      if (admin.sasl) log(await applyAcls(client, config.KAFKA_TOPIC_PREFIX));
    } finally {
      await client.disconnect();
    }
    await migrateAll(config.DATABASE_URL, (line) => log(`migrate: ${line}`));
    log('database: migrations up to date');
    return infrastructure;
  } catch (error) {
    await infrastructure.stop();
    throw error;
  }
}

/** ACLs wherever clients authenticate; a cluster without an authorizer says so, and that is reported, not fatal. */
async function applyAcls(client: Admin, prefix: string): Promise<string> {
  try {
    return `kafka: ${await ensureAcls(client, prefix)} ACLs in place (each service's user: its own topics and groups)`;
  } catch (error) {
    if ((error as { type?: string }).type !== 'SECURITY_DISABLED') throw error;
    return 'kafka: the cluster has no authorizer (SECURITY_DISABLED): no ACLs created, every authenticated user may do anything';
  }
}
