import type { Admin } from 'kafkajs';
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

/** Creates every topic of the event catalog that does not exist yet (the broker never auto-creates). */
export async function ensureTopics(admin: Admin, name: TopicNamer, numPartitions = 3): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics)
    .map(name)
    .filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    // kafkajs' own waitForLeaders gives up when KRaft metadata briefly reports a brand-new topic
    // as unknown; waiting for readable offsets covers both leader election and that moment.
    await admin.createTopics({ waitForLeaders: false, topics: missing.map((topic) => ({ topic, numPartitions })) });
    await waitUntilServed(admin, missing);
  }
  return missing;
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
