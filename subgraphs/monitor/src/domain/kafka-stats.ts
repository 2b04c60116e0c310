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
  /** The lag's parts, for /metrics (topic without the prefix); GraphQL shows only the sum. */
  partitionLags: PartitionLag[];
}

export interface PartitionLag {
  topic: string;
  partition: number;
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

/**
 * Messages a group has not consumed yet, per partition: high watermark minus committed offset,
 * where it committed one (full topic names).
 */
function partitionLags(group: GroupOffsets, watermarks: TopicWatermarks[]): PartitionLag[] {
  const lags: PartitionLag[] = [];
  for (const topic of watermarks) {
    for (const { partition, high } of topic.partitions) {
      const committed = group.committed.get(`${topic.name}:${partition}`);
      if (committed !== undefined) lags.push({ topic: topic.name, partition, lag: Math.max(high - committed, 0) });
    }
  }
  return lags;
}

/** A group's whole lag: the sum over the partitions where it committed an offset. */
export function groupLag(group: GroupOffsets, watermarks: TopicWatermarks[]): number {
  return partitionLags(group, watermarks).reduce((sum, { lag }) => sum + lag, 0);
}

/**
 * How often `sample` reads the broker while the cluster is quiet: the last sample found the same
 * high watermarks and lags as the one before, and nobody asked for the figures since. A quiet
 * cluster's figures do not change, so the baseline and the lag history stay right; the first read
 * that finds a change, or a request for the figures (the dashboard's refresh, a scrape), brings
 * sampling back to every tick. Reading the broker is most of what an idle monitor does (a few
 * dozen requests per sample), and most of what an idle broker serves.
 */
export const quietSampleEveryMs = 60_000;

/**
 * Kafka figures of this environment. Topic and group names are shown without the environment's
 * KAFKA_TOPIC_PREFIX, as the event catalog names them.
 */
export function kafkaStatsUseCases(
  cluster: ClusterReader,
  prefix: string,
  window = new ThroughputWindow(),
  lagHistory = new LagHistory(),
  now = () => Date.now(),
) {
  const strip = (name: string) => name.slice(prefix.length);
  const sampleOf = (watermarks: TopicWatermarks[], at: number): WatermarkSample => ({
    at,
    highs: Object.fromEntries(watermarks.map((topic) => [topic.name, sumHighs(topic)])),
  });

  let lastSampledAt = -Infinity;
  let lastFigures = '';
  let quiet = false;

  return {
    /**
     * Called on the health checker's interval: the throughput baseline and the lag history (at most
     * once per quietSampleEveryMs while the cluster is quiet).
     */
    sample: async (): Promise<void> => {
      if (quiet && now() - lastSampledAt < quietSampleEveryMs) return;
      const names = await cluster.environmentTopics();
      const [watermarks, groups] = await Promise.all([cluster.watermarks(names), cluster.groups(names)]);
      const at = now();
      const sample = sampleOf(watermarks, at);
      const lags = Object.fromEntries(groups.map((group) => [strip(group.groupId), groupLag(group, watermarks)]));
      window.add(sample);
      lagHistory.add({ at, lags });
      const figures = JSON.stringify([sample.highs, lags]);
      quiet = figures === lastFigures;
      lastFigures = figures;
      lastSampledAt = at;
    },

    /** Every group's lag over the last `minutes`, as sampled, oldest first. */
    lagOver: (minutes: number | null | undefined) =>
      lagHistory.since(Date.now() - windowMinutes(minutes) * 60_000).map(({ at, lags }) => ({
        at: new Date(at),
        groups: Object.entries(lags).map(([groupId, lag]) => ({ groupId, lag })),
      })),

    collect: async (): Promise<KafkaStats> => {
      // Someone is looking: the throughput and lag they see next should be at most a tick old.
      quiet = false;
      const names = await cluster.environmentTopics();
      const [watermarks, groups, brokers] = await Promise.all([
        cluster.watermarks(names),
        cluster.groups(names),
        cluster.brokerCount(),
      ]);
      const collectedAt = new Date(now());
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
        consumerGroups: groups.map((group) => {
          const lags = partitionLags(group, watermarks).map((lag) => ({ ...lag, topic: strip(lag.topic) }));
          return {
            groupId: strip(group.groupId),
            state: group.state,
            members: group.members,
            lag: lags.reduce((sum, { lag }) => sum + lag, 0),
            partitionLags: lags,
          };
        }),
        deadLetters: topicStats.find((topic) => topic.topic === topics.deadLetters)?.messages ?? 0,
        totalMessages: topicStats.reduce((sum, topic) => sum + topic.messages, 0),
        collectedAt,
      };
    },
  };
}

export type KafkaStatsUseCases = ReturnType<typeof kafkaStatsUseCases>;
