import { ByteSlab } from '../src/subscriptions/byte-slab';

test('a copy keeps its bytes when the source buffer is reused, and copies do not overlap', () => {
  const slab = new ByteSlab(64);
  const source = Buffer.from('first event');
  const first = slab.copy(source);
  source.fill(0);
  const copies = Array.from({ length: 10 }, (_, index) => slab.copy(Buffer.from(`event ${index}`)));

  expect(first.toString()).toBe('first event');
  expect(copies.map((copy) => copy.toString())).toEqual(Array.from({ length: 10 }, (_, index) => `event ${index}`));
  expect(slab.copy(Buffer.from('x'.repeat(40))).toString()).toBe('x'.repeat(40));
});
