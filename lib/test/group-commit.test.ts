import { groupCommit } from '@io/db/group-commit';

/** A store that records the groups it was given and can be held open, like a slow transaction. */
function recordingStore(fails: (item: number) => boolean = () => false) {
  const groups: number[][] = [];
  let release = () => undefined as void;
  let held: Promise<void> = Promise.resolve();
  const store = async (items: readonly number[]) => {
    groups.push([...items]);
    await held;
    if (items.some(fails)) throw new Error(`cannot store ${items.filter(fails).join(',')}`);
    return items.map((item) => item * 10);
  };
  const hold = () => {
    held = new Promise((resolve) => {
      release = resolve;
    });
  };
  return { store, groups, hold, release: () => release() };
}

test('a lone item is stored at once, alone', async () => {
  const { store, groups } = recordingStore();
  await expect(groupCommit(store)(1)).resolves.toBe(10);
  expect(groups).toEqual([[1]]);
});

test('items that arrive while a store is in flight are stored together by the next one', async () => {
  const { store, groups, hold, release } = recordingStore();
  const submit = groupCommit(store);
  hold();
  const first = submit(1);
  while (groups.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  const waiting = [2, 3, 4].map(submit);
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(groups).toEqual([[1]]);
  release();
  await expect(Promise.all([first, ...waiting])).resolves.toEqual([10, 20, 30, 40]);
  expect(groups).toEqual([[1], [2, 3, 4]]);
});

test('when a group fails, its items are stored one by one and only the bad one fails', async () => {
  const { store, groups } = recordingStore((item) => item === 3);
  const submit = groupCommit(store);
  const results = await Promise.allSettled([1, 2, 3, 4].map(submit));
  expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  expect((results[2] as PromiseRejectedResult).reason.message).toBe('cannot store 3');
  expect(groups).toEqual([[1, 2, 3, 4], [1], [2], [3], [4]]);
});

test('a group never exceeds the maximum size', async () => {
  const { store, groups } = recordingStore();
  await Promise.all([1, 2, 3, 4, 5].map(groupCommit(store, 2)));
  expect(groups.every((group) => group.length <= 2)).toBe(true);
  expect(groups.flat().sort()).toEqual([1, 2, 3, 4, 5]);
});
