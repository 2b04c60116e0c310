import { groupLag, kafkaStatsUseCases, quietSampleEveryMs } from '../src/domain/kafka-stats';
import { LagHistory } from '../src/domain/lag-history';
import { ThroughputWindow } from '../src/domain/throughput';
import type { ClusterReader } from '../src/kafka/cluster';

const watermarks = [
  {
    name: 'p.order-created',
    partitions: [
      { partition: 0, low: 0, high: 10 },
      { partition: 1, low: 2, high: 7 },
    ],
  },
  { name: 'p.order-processed', partitions: [{ partition: 0, low: 0, high: 4 }] },
];

test('a group lags by the high watermark minus its committed offset, summed over the partitions it committed on', () => {
  const committed = new Map([
    ['p.order-created:0', 6],
    ['p.order-created:1', 7],
  ]);
  expect(groupLag({ groupId: 'p.inventory-service', state: 'Stable', members: 1, committed }, watermarks)).toBe(4);
});

test('topics a group never committed on do not count as its lag', () => {
  expect(groupLag({ groupId: 'p.idle', state: 'Empty', members: 0, committed: new Map() }, watermarks)).toBe(0);
});

describe('sampling while the cluster is quiet', () => {
  /** A broker whose order-created high watermark the test moves; counts the reads. */
  function fakeCluster() {
    const state = { high: 10, reads: 0 };
    const cluster: ClusterReader = {
      environmentTopics: async () => {
        state.reads += 1;
        return ['p.order-created'];
      },
      watermarks: async (names) =>
        names.map((name) => ({ name, partitions: [{ partition: 0, low: 0, high: state.high }] })),
      groups: async () => [
        {
          groupId: 'p.inventory-service',
          state: 'Stable',
          members: 1,
          committed: new Map([['p.order-created:0', 10]]),
        },
      ],
      brokerCount: async () => 1,
    };
    return { cluster, state };
  }

  function statsAt(clock: { now: number }) {
    const { cluster, state } = fakeCluster();
    const stats = kafkaStatsUseCases(cluster, 'p.', new ThroughputWindow(), new LagHistory(), () => clock.now);
    const tick = async (ms: number) => {
      clock.now += ms;
      await stats.sample();
    };
    return { stats, state, tick };
  }

  test('reads every tick while figures change, then once per quietSampleEveryMs once two reads agree', async () => {
    const clock = { now: 0 };
    const { state, tick } = statsAt(clock);
    await tick(10_000);
    state.high = 12;
    await tick(10_000);
    expect(state.reads).toBe(2);
    await tick(10_000); // the same figures as the read before: quiet from here
    expect(state.reads).toBe(3);
    for (let elapsed = 10_000; elapsed < quietSampleEveryMs; elapsed += 10_000) await tick(10_000);
    expect(state.reads).toBe(3);
    await tick(10_000);
    expect(state.reads).toBe(4);
  });

  test('a change found by a quiet read brings back a read every tick', async () => {
    const clock = { now: 0 };
    const { state, tick } = statsAt(clock);
    await tick(10_000);
    await tick(10_000);
    state.high = 20;
    await tick(quietSampleEveryMs);
    await tick(10_000);
    expect(state.reads).toBe(4);
  });

  test('asking for the figures brings back a read every tick', async () => {
    const clock = { now: 0 };
    const { stats, state, tick } = statsAt(clock);
    await tick(10_000);
    await tick(10_000);
    await tick(10_000);
    expect(state.reads).toBe(2);
    await stats.collect();
    expect(state.reads).toBe(3);
    await tick(10_000);
    expect(state.reads).toBe(4);
  });

  test('the throughput seen after a quiet spell counts only what was appended in the last minute', async () => {
    const clock = { now: 0 };
    const { stats, state, tick } = statsAt(clock);
    for (let i = 0; i < 30; i++) await tick(10_000); // five quiet minutes
    state.high = 70;
    clock.now += 5_000;
    const figures = await stats.collect();
    expect(figures.topics).toEqual([expect.objectContaining({ topic: 'order-created', messagesLastMinute: 60 })]);
  });
});
