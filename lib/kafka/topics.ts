import type { Admin } from 'kafkajs';
import { topics } from '../events/catalog';

export type TopicNamer = (topic: string) => string;

/** Topic names with the configured prefix, so environments and test runs can share a broker. */
export function topicNamer(prefix: string): TopicNamer {
  return (topic) => `${prefix}${topic}`;
}

/** Creates every topic of the event catalog that does not exist yet (the broker never auto-creates). */
export async function ensureTopics(admin: Admin, name: TopicNamer, numPartitions = 3): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics).map(name).filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions })) });
    await waitUntilServed(admin, missing);
  }
  return missing;
}

/**
 * A new topic's leaders can be elected a moment before the broker serves its partitions; a client
 * that subscribes in that moment gets UNKNOWN_TOPIC_OR_PARTITION. Wait until offsets can be read.
 */
async function waitUntilServed(admin: Admin, topicNames: string[], timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const topic of topicNames) {
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((wake) => setTimeout(wake, 100));
      }
    }
  }
}
