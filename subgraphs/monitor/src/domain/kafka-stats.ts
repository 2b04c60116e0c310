import { topics } from '@io/events/catalog';
import type { ClusterReader, GroupOffsets, TopicWatermarks } from '../kafka/cluster';
import { windowMinutes } from '@io/graphql/paging';
import { LagHistory } from './lag-history';
import { ThroughputWindow, type WatermarkSample } from './throughput';

interface TopicStats {
  topic: string;
  partitions: number;
  messages: number;
  messagesLastMinute: number;
  throughputPerSecond: number;
}

interface ConsumerGroupStats {
  groupId: string;
  state: string;
  members: number;
  lag: number;
}

export interface KafkaStats {
  brokers: number;
  topics: TopicStats[];
  consumerGroups: ConsumerGroupStats[];
  deadLetters: number;
  totalMessages: number;
  collectedAt: Date;
}

const sumHighs = (topic: TopicWatermarks) => topic.partitions.reduce((sum, { high }) => sum + high, 0);
const held = (topic: TopicWatermarks) => topic.partitions.reduce((sum, { low, high }) => sum + high - low, 0);

/** Messages a group has not consumed yet: high watermark minus committed offset, where it committed one. */
export function groupLag(group: GroupOffsets, watermarks: TopicWatermarks[]): number {
  let lag = 0;
  for (const topic of watermarks) {
    for (const { partition, high } of topic.partitions) {
      const committed = group.committed.get(`${topic.name}:${partition}`);
      if (committed !== undefined) lag += Math.max(high - committed, 0);
    }
  }
  return lag;
}

/**
 * Kafka figures of this environment. Topic and group names are shown without the environment's
 * KAFKA_TOPIC_PREFIX, as the event catalog names them.
 */
export function kafkaStatsUseCases(
  cluster: ClusterReader,
  prefix: string,
  window = new ThroughputWindow(),
  lagHistory = new LagHistory(),
) {
  const strip = (name: string) => name.slice(prefix.length);
  const sampleOf = (watermarks: TopicWatermarks[], at: number): WatermarkSample => ({
    at,
    highs: Object.fromEntries(watermarks.map((topic) => [topic.name, sumHighs(topic)])),
  });

  return {
    /** Called on the health checker's interval: the throughput baseline and the lag history. */
    sample: async (): Promise<void> => {
      const names = await cluster.environmentTopics();
      const [watermarks, groups] = await Promise.all([cluster.watermarks(names), cluster.groups(names)]);
      const at = Date.now();
      window.add(sampleOf(watermarks, at));
      lagHistory.add({
        at,
        lags: Object.fromEntries(groups.map((group) => [strip(group.groupId), groupLag(group, watermarks)])),
      });
    },

    /** Every group's lag over the last `minutes`, as sampled, oldest first. */
    lagOver: (minutes: number | null | undefined) =>
      lagHistory.since(Date.now() - windowMinutes(minutes) * 60_000).map(({ at, lags }) => ({
        at: new Date(at),
        groups: Object.entries(lags).map(([groupId, lag]) => ({ groupId, lag })),
      })),

    collect: async (): Promise<KafkaStats> => {
      const names = await cluster.environmentTopics();
      const [watermarks, groups, brokers] = await Promise.all([
        cluster.watermarks(names),
        cluster.groups(names),
        cluster.brokerCount(),
      ]);
      const collectedAt = new Date();
      const appended = window.appended(sampleOf(watermarks, collectedAt.getTime()));
      const topicStats = watermarks.map((topic) => ({
        topic: strip(topic.name),
        partitions: topic.partitions.length,
        messages: held(topic),
        messagesLastMinute: appended[topic.name] ?? 0,
        throughputPerSecond: (appended[topic.name] ?? 0) / (window.windowMs / 1000),
      }));
      return {
        brokers,
        topics: topicStats,
        consumerGroups: groups.map((group) => ({
          groupId: strip(group.groupId),
          state: group.state,
          members: group.members,
          lag: groupLag(group, watermarks),
        })),
        deadLetters: topicStats.find((topic) => topic.topic === topics.deadLetters)?.messages ?? 0,
        totalMessages: topicStats.reduce((sum, topic) => sum + topic.messages, 0),
        collectedAt,
      };
    },
  };
}

export type KafkaStatsUseCases = ReturnType<typeof kafkaStatsUseCases>;
