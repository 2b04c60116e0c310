import { DateTimeScalar, DecimalScalar } from '@io/graphql/scalars';
import { parseId } from '@io/graphql/validate';

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

const badUserInput = expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) });

test.each([['2026-11-28T10:00:00Z'], ['2026-11-28'], ['0001-01-01T00:00:00Z'], ['9999-12-31T23:59:59.999Z']])(
  'DateTime accepts %p',
  (input) => {
    expect(DateTimeScalar.parseValue(input)).toEqual(new Date(input));
  },
);

test.each([['+275760-09-13T00:00:00Z'], ['-000001-01-01T00:00:00Z'], ['+010000-01-01T00:00:00Z'], ['tomorrow'], [0]])(
  'DateTime refuses %p (outside what PostgreSQL stores, or no date) with BAD_USER_INPUT',
  (input) => {
    expect(() => DateTimeScalar.parseValue(input)).toThrow(badUserInput);
  },
);

test.each([
  ['1', 1],
  [16, 16],
  ['2147483647', 2147483647],
])('id %p is %p', (input, expected) => {
  expect(parseId(input)).toBe(expected);
});

test.each([['0x10'], ['1e1'], [' 1 '], ['1.0'], ['01'], ['0'], ['-1'], ['2147483648'], [''], [1.5]])(
  'id %p is refused with BAD_USER_INPUT, not read as a number',
  (input) => {
    expect(() => parseId(input)).toThrow(badUserInput);
  },
);
