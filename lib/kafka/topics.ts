import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { topics } from '@io/events/catalog';

export type TopicNamer = (topic: string) => string;

/** Topic names with the configured prefix, so environments and test runs can share a broker. */
export function topicNamer(prefix: string): TopicNamer {
  return (topic) => `${prefix}${topic}`;
}

/**
 * A service's consumer group: `<prefix><service>-<instance>`. Named after the service, so that its
 * Kafka ACL can give it exactly the groups that start with `<prefix><service>-` (scripts/kafka/acls.ts).
 */
export function consumerGroupName(name: TopicNamer, service: string, instance: string): string {
  return name(`${service}-${instance}`);
}

export const consumerGroupPrefix = (prefix: string, service: string): string => `${prefix}${service}-`;

/**
 * Replication of the topics on a cluster of `brokers` brokers: each partition on min(3, brokers)
 * brokers, and from 3 on a write acknowledged (acks=-1, what the producers ask) only once 2 of them
 * have it, so one broker lost loses no acknowledged event and leaves the topic writable.
 */
export function replicationFor(brokers: number): { replicationFactor: number; minInsyncReplicas: number } {
  const replicationFactor = Math.min(3, Math.max(1, brokers));
  return { replicationFactor, minInsyncReplicas: replicationFactor >= 3 ? 2 : 1 };
}

/** The replication this cluster's topics should have, from the brokers its admin API reports. */
async function clusterReplication(admin: Admin) {
  const { brokers } = await admin.describeCluster();
  return { brokers: brokers.length, ...replicationFor(brokers.length) };
}

/**
 * Creates every topic of the event catalog that does not exist yet (the broker never auto-creates),
 * replicated as the cluster allows (replicationFor).
 */
export async function ensureTopics(admin: Admin, name: TopicNamer, numPartitions = 3): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics)
    .map(name)
    .filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    const { replicationFactor, minInsyncReplicas } = await clusterReplication(admin);
    const configEntries =
      minInsyncReplicas > 1 ? [{ name: 'min.insync.replicas', value: String(minInsyncReplicas) }] : [];
    // kafkajs' own waitForLeaders gives up when KRaft metadata briefly reports a brand-new topic
    // as unknown; waiting for readable offsets covers both leader election and that moment.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor, configEntries })),
    });
    await waitUntilServed(admin, missing);
  }
  return missing;
}

/**
 * The catalog's existing topics whose replication is weaker than this cluster allows (created on a
 * smaller cluster, or by hand), each said in a sentence; Kafka does not change a topic's replication
 * by itself, and setup does not either (kafka-reassign-partitions does, README "Kafka clusters").
 */
export async function weakTopics(admin: Admin, name: TopicNamer): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const present = Object.values(topics)
    .map(name)
    .filter((topic) => existing.has(topic));
  if (present.length === 0) return [];
  const wanted = await clusterReplication(admin);
  const metadata = await admin.fetchTopicMetadata({ topics: present });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: present.map((topic) => ({
      type: ConfigResourceTypes.TOPIC,
      name: topic,
      configNames: ['min.insync.replicas'],
    })),
  });
  const minInsync = new Map(
    configs.resources.map((resource) => [
      resource.resourceName,
      Number(resource.configEntries.find((entry) => entry.configName === 'min.insync.replicas')?.configValue ?? 1),
    ]),
  );
  return metadata.topics.flatMap((topic) => {
    const replicas = Math.min(...topic.partitions.map((partition) => partition.replicas.length));
    const insync = minInsync.get(topic.name) ?? 1;
    const weaker = [
      replicas < wanted.replicationFactor
        ? `replication factor ${replicas} (configured: ${wanted.replicationFactor})`
        : '',
      insync < wanted.minInsyncReplicas
        ? `min.insync.replicas ${insync} (configured: ${wanted.minInsyncReplicas})`
        : '',
    ].filter(Boolean);
    return weaker.length > 0
      ? [
          `topic ${topic.name} has ${weaker.join(' and ')} on a cluster of ${wanted.brokers} brokers: losing a broker can lose or stop its events`,
        ]
      : [];
  });
}

/**
 * A new topic is usable once the offsets of all its partitions can be read: its leaders are elected
 * and the broker serves them (before that, clients get UNKNOWN_TOPIC_OR_PARTITION).
 */
async function waitUntilServed(admin: Admin, topicNames: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const topic of topicNames) {
    for (;;) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        if (offsets.length > 0) break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`kafka: topic ${topic} is not served ${timeoutMs} ms after its creation`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }
}
