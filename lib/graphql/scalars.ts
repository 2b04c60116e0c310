import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const decimalPattern = /^-?\d{1,12}(\.\d{1,2})?$/;

function parseDecimal(value: unknown): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !decimalPattern.test(text)) {
    throw new GraphQLError('Decimal must be a number with at most 12 integer digits and 2 decimals', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return text;
}

/**
 * Exact money amounts: serialized as a string ("99.99") so no client parses them into a float;
 * accepted as a string or a number literal with at most two decimals.
 */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal amount, serialized as a string such as "99.99".',
  serialize: (value) => (typeof value === 'object' && value !== null ? value.toString() : String(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING && ast.kind !== Kind.INT && ast.kind !== Kind.FLOAT) {
      throw new GraphQLError('Decimal must be a string or a number', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseDecimal(ast.value);
  },
});

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('invalid DateTime', { extensions: { code: 'BAD_USER_INPUT' } });
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('invalid DateTime', { extensions: { code: 'BAD_USER_INPUT' } });
    return date;
  },
});
