import { DeferredCommits, type CommitControls } from '@io/kafka/deferred-commits';
import { createLogger } from '@io/logger';

/** One group generation's kafkajs controls, reduced to what is resolved and what reaches the broker. */
function groupControls(commit: () => Promise<void> = async () => undefined) {
  const resolved: string[] = [];
  const committed: string[] = [];
  const uncommitted = () => resolved.filter((offset) => !committed.includes(offset));
  const controls: CommitControls = {
    resolveOffset: (offset) => void resolved.push(offset),
    uncommittedOffsets: () => ({
      topics: uncommitted().length
        ? [{ topic: 't', partitions: uncommitted().map((offset) => ({ partition: 0, offset })) }]
        : [],
    }),
    commitOffsetsIfNecessary: async (offsets) => {
      await commit();
      committed.push(...(offsets?.topics ?? []).flatMap((topic) => topic.partitions.map((entry) => entry.offset)));
    },
  };
  return { controls, resolved, committed };
}

const logger = createLogger('deferred-commits-test', 'silent');

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('offsets are resolved at once (kafkajs fetches after them) and committed together at the end of the interval', async () => {
  const commits = new DeferredCommits(1000, logger);
  const group = groupControls();
  for (const offset of ['5', '6', '7']) {
    commits.applied(offset, group.controls);
    await commits.afterBatch();
  }
  expect(group.resolved).toEqual(['5', '6', '7']);
  expect(group.committed).toEqual([]);

  await jest.advanceTimersByTimeAsync(999);
  expect(group.committed).toEqual([]);
  await jest.advanceTimersByTimeAsync(1);
  expect(group.committed).toEqual(['5', '6', '7']);

  await jest.advanceTimersByTimeAsync(5000);
  expect(group.committed).toEqual(['5', '6', '7']);
});

test('a rebalance forgets the old generation: its uncommitted offsets are not committed by it', async () => {
  const commits = new DeferredCommits(1000, logger);
  const group = groupControls();
  commits.applied('5', group.controls);
  commits.forget();
  await jest.advanceTimersByTimeAsync(2000);
  expect(group.committed).toEqual([]);
});

test('before a stop what was applied is committed at once, and every later batch when it ends', async () => {
  const commits = new DeferredCommits(1000, logger);
  const group = groupControls();
  commits.applied('5', group.controls);
  await commits.flushForStop();
  expect(group.committed).toEqual(['5']);
  commits.applied('6', group.controls);
  await commits.afterBatch();
  expect(group.committed).toEqual(['5', '6']);
});

test('interval 0 commits after every batch, as kafkajs would', async () => {
  const commits = new DeferredCommits(0, logger);
  const group = groupControls();
  commits.applied('1', group.controls);
  await commits.afterBatch();
  expect(group.committed).toEqual(['1']);
});

test('a failed commit is logged, not thrown: the events are delivered again and change nothing', async () => {
  const warn = jest.spyOn(logger, 'warn');
  const commits = new DeferredCommits(1000, logger);
  const group = groupControls(async () => {
    throw new Error('The group is rebalancing');
  });
  commits.applied('5', group.controls);
  await jest.advanceTimersByTimeAsync(1000);
  expect(warn).toHaveBeenCalledWith(
    expect.objectContaining({ err: expect.any(Error) }),
    expect.stringMatching(/delivered again/),
  );
});
