import { groupLag } from '../src/domain/kafka-stats';

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
