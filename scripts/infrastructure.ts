import { kafkaBrokers, type Config } from '@io/config';
import { migrateAll } from '@io/db/migrate-all';
import { createKafka } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { startLocalKafka, waitForKafka, type RunningBroker } from './kafka/local-broker';

/** True when KAFKA_BROKERS names the embedded broker's own port on this machine. */
function usesEmbeddedBroker(config: Config): boolean {
  const brokers = kafkaBrokers(config);
  return (
    brokers.length === 1 && [`127.0.0.1:${config.KAFKA_PORT}`, `localhost:${config.KAFKA_PORT}`].includes(brokers[0])
  );
}

/**
 * What the services need before they start: a Kafka broker (the embedded one is started when
 * KAFKA_BROKERS points at it and nothing listens yet), every topic, and a migrated database.
 */
export async function prepareInfrastructure(config: Config, log: (line: string) => void): Promise<RunningBroker> {
  let broker: RunningBroker;
  if (usesEmbeddedBroker(config)) {
    broker = await startLocalKafka({ port: config.KAFKA_PORT, controllerPort: config.KAFKA_CONTROLLER_PORT, log });
  } else {
    await waitForKafka(kafkaBrokers(config));
    broker = { brokers: kafkaBrokers(config), startedHere: false, stop: async () => undefined };
  }
  try {
    const admin = createKafka('setup', broker.brokers, createLogger('setup', 'warn')).admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, topicNamer(config.KAFKA_TOPIC_PREFIX));
      log(created.length > 0 ? `kafka: created topics ${created.join(', ')}` : 'kafka: topics present');
    } finally {
      await admin.disconnect();
    }
    await migrateAll(config.DATABASE_URL, (line) => log(`migrate: ${line}`));
    log('database: migrations up to date');
    return broker;
  } catch (error) {
    await broker.stop();
    throw error;
  }
}
