import type { Admin } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { ensureTopics, replicationFor, topicNamer, weakTopics } from '@io/kafka/topics';

/** An admin API that reports `brokers` brokers and the given topics, with `replicas` replicas and min.insync each. */
function fakeAdmin(brokers: number, existing: Record<string, { replicas: number; minInsync: number }>) {
  const created: Parameters<Admin['createTopics']>[0][] = [];
  const admin = {
    describeCluster: async () => ({
      brokers: Array.from({ length: brokers }, (_, nodeId) => ({ nodeId, host: '127.0.0.1', port: 9500 + nodeId })),
      controller: 0,
      clusterId: 'test',
    }),
    listTopics: async () => Object.keys(existing),
    createTopics: async (request: Parameters<Admin['createTopics']>[0]) => {
      created.push(request);
      for (const topic of request.topics)
        existing[topic.topic] = { replicas: topic.replicationFactor ?? 1, minInsync: 1 };
      return true;
    },
    fetchTopicOffsets: async () => [{ partition: 0, offset: '0', high: '0', low: '0' }],
    fetchTopicMetadata: async ({ topics: names }: { topics: string[] }) => ({
      topics: names.map((name) => ({
        name,
        partitions: [0, 1, 2].map((partitionId) => ({
          partitionId,
          leader: 0,
          replicas: Array.from({ length: existing[name].replicas }, (_, id) => id),
          isr: [],
          partitionErrorCode: 0,
        })),
      })),
    }),
    describeConfigs: async ({ resources }: { resources: { name: string }[] }) => ({
      throttleTime: 0,
      resources: resources.map((resource) => ({
        resourceName: resource.name,
        resourceType: 2,
        errorCode: 0,
        errorMessage: null,
        configEntries: [
          {
            configName: 'min.insync.replicas',
            configValue: String(existing[resource.name].minInsync),
            isDefault: false,
            isSensitive: false,
            readOnly: false,
            configSynonyms: [],
          },
        ],
      })),
    }),
  };
  return { admin: admin as unknown as Admin, created };
}

const name = topicNamer('t-');
const catalog = Object.values(topics).map(name);

describe('topic replication follows the cluster', () => {
  it('is min(3, brokers), with 2 in sync from 3 brokers on', () => {
    expect([1, 2, 3, 5].map(replicationFor)).toEqual([
      { replicationFactor: 1, minInsyncReplicas: 1 },
      { replicationFactor: 2, minInsyncReplicas: 1 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
      { replicationFactor: 3, minInsyncReplicas: 2 },
    ]);
  });

  it('creates the topics with the replication the admin API allows', async () => {
    const { admin, created } = fakeAdmin(3, {});
    expect(await ensureTopics(admin, name)).toEqual(catalog);
    expect(created[0].topics).toEqual(
      catalog.map((topic) => ({
        topic,
        numPartitions: 3,
        replicationFactor: 3,
        configEntries: [{ name: 'min.insync.replicas', value: '2' }],
      })),
    );
    const single = fakeAdmin(1, {});
    await ensureTopics(single.admin, name);
    expect(single.created[0].topics[0]).toMatchObject({ replicationFactor: 1, configEntries: [] });
  });

  it('says plainly which existing topics are weaker than configured', async () => {
    const existing = Object.fromEntries(catalog.map((topic) => [topic, { replicas: 3, minInsync: 2 }]));
    existing[catalog[0]] = { replicas: 1, minInsync: 1 };
    existing[catalog[1]] = { replicas: 3, minInsync: 1 };
    const { admin } = fakeAdmin(3, existing);
    expect(await weakTopics(admin, name)).toEqual([
      `topic ${catalog[0]} has replication factor 1 (configured: 3) and min.insync.replicas 1 (configured: 2) on a cluster of 3 brokers: losing a broker can lose or stop its events`,
      `topic ${catalog[1]} has min.insync.replicas 1 (configured: 2) on a cluster of 3 brokers: losing a broker can lose or stop its events`,
    ]);
    expect(await weakTopics(fakeAdmin(1, { [catalog[0]]: { replicas: 1, minInsync: 1 } }).admin, name)).toEqual([]);
  });
});
