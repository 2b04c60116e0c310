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

/** What PostgreSQL's timestamp and Prisma's serialization both take: 0001-01-01 to 9999-12-31 (UTC). */
const earliest = Date.parse('0001-01-01T00:00:00.000Z');
const latest = Date.parse('9999-12-31T23:59:59.999Z');

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime()))
    throw new GraphQLError('invalid DateTime', { extensions: { code: 'BAD_USER_INPUT' } });
  if (date.getTime() < earliest || date.getTime() > latest)
    throw new GraphQLError('DateTime must be between 0001-01-01 and 9999-12-31', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return date;
}

export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC, between 0001-01-01 and 9999-12-31.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
