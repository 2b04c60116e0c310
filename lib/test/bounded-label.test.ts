import { BoundedLabel } from '@io/metrics/bounded-label';

test('keeps the first distinct values, then answers the overflow value, and keeps answering known ones', () => {
  const label = new BoundedLabel(2, '(other)');
  expect(label.value('A')).toBe('A');
  expect(label.value('B')).toBe('B');
  expect(label.value('C')).toBe('(other)');
  expect(label.value('A')).toBe('A');
  expect(label.value('D')).toBe('(other)');
});
