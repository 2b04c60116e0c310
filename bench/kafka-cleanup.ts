import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '@io/config';
import { kafkaConnection, type KafkaConnection } from '@io/kafka/client';
import { adminUser, embeddedCredentialsEnv, usesEmbeddedBroker } from '../scripts/kafka/credentials';
import { adminConnection, startLocalKafka } from '../scripts/kafka/local-broker';

/** The bench's own connection to Kafka: the configuration's, as the embedded broker's admin when it is the one used. */
export function benchKafkaConnection(env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  const config = loadConfig(env);
  return kafkaConnection(loadConfig({ ...env, ...embeddedCredentialsEnv(config, adminUser) }));
}

/**
 * Deletes the run's topics and groups once the system it ran has stopped. The embedded broker that
 * `npm start` ran went down with it, so it is started again, alone, for this, and stopped: left on
 * its data directory, every run's topics stayed there for good (344 partitions after a day of runs),
 * and the idle broker spent 2.6-3.3 % of a core where a fresh one spends 1.9-2.2 % (bench/RESULTS.md).
 */
export async function deleteTopicsOfRun(
  env: NodeJS.ProcessEnv,
  prefix: string,
  log: (line: string) => void,
): Promise<{ topics: string[]; groupsLeft: number }> {
  const config = loadConfig(env);
  if (!usesEmbeddedBroker(config)) return deleteBenchTopics(benchKafkaConnection(env), prefix);
  const broker = await startLocalKafka({
    port: config.KAFKA_PORT,
    controllerPort: config.KAFKA_CONTROLLER_PORT,
    nodes: config.KAFKA_BROKERS_LOCAL,
    log,
  });
  try {
    return await deleteBenchTopics(adminConnection(broker.brokers, broker.credentials), prefix);
  } finally {
    await broker.stop();
  }
}

/**
 * Deletes the topics and consumer groups a bench run created under its own prefix, so runs do not
 * pile up on a shared broker. Nothing outside the prefix is touched.
 */
async function deleteBenchTopics(
  connection: KafkaConnection,
  prefix: string,
): Promise<{ topics: string[]; groupsLeft: number }> {
  if (prefix === '') return { topics: [], groupsLeft: 0 }; // an empty prefix would match every topic on the broker
  const admin = new Kafka({ clientId: 'bench-cleanup', ...connection, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    const groups = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((group) => group.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    // A group the broker still considers active (its members' sessions not yet expired) cannot be
    // deleted; it holds no data once its topics are gone, so this is reported, not fatal.
    const groupsLeft =
      groups.length > 0
        ? await admin.deleteGroups(groups).then(
            () => 0,
            () => groups.length,
          )
        : 0;
    return { topics, groupsLeft };
  } finally {
    await admin.disconnect();
  }
}
