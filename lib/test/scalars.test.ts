import { DecimalScalar } from '@io/graphql/scalars';

test.each([
  ['99.99', '99.99'],
  [99.99, '99.99'],
  [5, '5'],
  ['-0.5', '-0.5'],
])('Decimal accepts %p as %p', (input, expected) => {
  expect(DecimalScalar.parseValue(input)).toBe(expected);
});

test.each([['1.999'], ['abc'], [Number.NaN], [1e20], ['1e3'], [null], [{}]])(
  'Decimal refuses %p with BAD_USER_INPUT',
  (input) => {
    expect(() => DecimalScalar.parseValue(input)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
    );
  },
);
