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
  }
  return missing;
}
