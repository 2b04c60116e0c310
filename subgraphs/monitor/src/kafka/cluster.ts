import type { Admin } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { topicNamer } from '@io/kafka/topics';

export interface TopicWatermarks {
  /** Full topic name, prefix included. */
  name: string;
  partitions: { partition: number; low: number; high: number }[];
}

export interface GroupOffsets {
  groupId: string;
  state: string;
  members: number;
  /** Committed offset per `topic:partition`, only where the group committed one. */
  committed: Map<string, number>;
}

/**
 * Reads what the broker knows about this environment: the catalog's topics under its prefix, and
 * the consumer groups named with that prefix (with an empty prefix, the groups that committed an
 * offset on one of those topics).
 */
export function clusterReader(admin: Admin, prefix: string) {
  const name = topicNamer(prefix);

  async function environmentTopics(): Promise<string[]> {
    const existing = new Set(await admin.listTopics());
    return Object.values(topics)
      .map(name)
      .filter((topic) => existing.has(topic));
  }

  async function watermarks(topicNames: string[]): Promise<TopicWatermarks[]> {
    return Promise.all(
      topicNames.map(async (topic) => ({
        name: topic,
        partitions: (await admin.fetchTopicOffsets(topic))
          .map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) }))
          .sort((a, b) => a.partition - b.partition),
      })),
    );
  }

  async function groups(topicNames: string[]): Promise<GroupOffsets[]> {
    const ids = (await admin.listGroups()).groups
      .map((group) => group.groupId)
      .filter((id) => id.startsWith(prefix))
      .sort();
    if (ids.length === 0) return [];
    const descriptions = new Map((await admin.describeGroups(ids)).groups.map((group) => [group.groupId, group]));
    const found = await Promise.all(
      ids.map(async (groupId) => {
        const committed = new Map<string, number>();
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: topicNames })) {
          for (const { partition, offset } of partitions) {
            if (Number(offset) >= 0) committed.set(`${topic}:${partition}`, Number(offset));
          }
        }
        const description = descriptions.get(groupId);
        return {
          groupId,
          state: description?.state ?? 'Unknown',
          members: description?.members.length ?? 0,
          committed,
        };
      }),
    );
    return prefix ? found : found.filter((group) => group.committed.size > 0);
  }

  async function brokerCount(): Promise<number> {
    return (await admin.describeCluster()).brokers.length;
  }

  return { environmentTopics, watermarks, groups, brokerCount };
}

export type ClusterReader = ReturnType<typeof clusterReader>;
