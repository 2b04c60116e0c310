import { classifyFailure, failureReason } from '@io/kafka/failure';

const prismaError = (code: string, cause?: object) =>
  Object.assign(new Error('prisma'), {
    name: 'PrismaClientKnownRequestError',
    code,
    meta: cause && { driverAdapterError: { cause } },
  });

test.each([
  ['the database unreachable (Prisma)', prismaError('P1001', { kind: 'DatabaseNotReachable' })],
  ['a transaction that timed out (Prisma)', prismaError('P2028')],
  ['a pool exhausted (Prisma)', prismaError('P2024')],
  ['a deadlock in raw SQL (Prisma)', prismaError('P2010', { originalCode: '40P01', kind: 'postgres' })],
  ['a serialization failure (node-postgres)', Object.assign(new Error('could not serialize'), { code: '40001' })],
  ['the server shutting down (node-postgres)', Object.assign(new Error('terminating connection'), { code: '57P01' })],
  ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ['a lost connection (node-postgres)', new Error('Connection terminated unexpectedly')],
  ['a server that stopped answering (node-postgres query_timeout)', new Error('Query read timeout')],
  ['the broker away (kafkajs)', Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' })],
  [
    'a transient error wrapped as a cause',
    new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ECONNRESET' }) }),
  ],
])('%s is transient: retried until it passes', (_what, error) => {
  expect(classifyFailure(error)).toBe('transient');
});

test.each([
  ['a CHECK constraint (negative stock)', prismaError('P2010', { originalCode: '23514', kind: 'postgres' })],
  ['an integer out of range', prismaError('P2010', { originalCode: '22003', kind: 'ValueOutOfRange' })],
  ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' })],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['something that is not an error', 'boom'],
])('%s is poison: retried a few times, then dead-lettered', (_what, error) => {
  expect(classifyFailure(error)).toBe('poison');
});

describe('the reason a dead letter (and its PROCESSING_ERROR alert) gives', () => {
  test('a Prisma error is its code and SQLSTATE, never its message with source paths and code lines', () => {
    const error = prismaError('P2010', { originalCode: '23514', kind: 'postgres' });
    error.message =
      'Invalid `prisma.$executeRaw()` invocation in\n/work/main/subgraphs/inventory/src/data/stock-effects.ts:42:7\n\n  41 |\n→ 42 await tx.$executeRaw`UPDATE ...`';
    expect(failureReason(error)).toBe('database error P2010 (SQLSTATE 23514)');
  });

  test('a validation failure names where the event is wrong, not its values', () => {
    expect(
      failureReason({ name: 'ZodError', issues: [{ path: ['data', 'items', 0, 'quantity'] }, { path: [] }] }),
    ).toBe('invalid event: 2 problem(s), first at data.items.0.quantity');
  });

  test('any other error keeps its name and first line, without file paths', () => {
    expect(
      failureReason(new TypeError("Cannot read properties of undefined (reading 'id') at /app/dist/x.js:3:9\nstack")),
    ).toBe("TypeError: Cannot read properties of undefined (reading 'id') at …");
    expect(failureReason('boom')).toBe('non-error thrown: boom');
  });
});
