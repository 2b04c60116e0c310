import { GraphQLError } from 'graphql';
import { maskUnexpectedErrors } from '@io/graphql/format-error';
import { createLogger } from '@io/logger';

const logger = createLogger('test', 'silent');
const format = (error: GraphQLError, maskAll?: boolean) =>
  maskUnexpectedErrors(logger, { maskAll })({ ...error.toJSON(), path: ['products'] }, error);

const unreachable = new GraphQLError('request to http://10.0.0.7:4001/graphql failed, reason: connect ECONNREFUSED', {
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
});
const masked = { message: 'Internal server error', path: ['products'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };

test('an error raised on purpose with a code reaches the client as it is, in every mode', () => {
  const refused = new GraphQLError('id: not a valid id', { extensions: { code: 'BAD_USER_INPUT', field: 'id' } });
  expect(format(refused, true)).toEqual({ ...refused.toJSON(), path: ['products'] });
});

test('an unexpected error (a bug, a Prisma error) is masked in every mode', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
  const formatted = { message: bug.message, path: ['products'], extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  expect(maskUnexpectedErrors(logger)(formatted, bug)).toEqual(masked);
  expect(maskUnexpectedErrors(logger, { maskAll: true })(formatted, bug)).toEqual(masked);
});

test('in production every internal error is masked, also GraphQLErrors carrying internals and errors with no code', () => {
  expect(format(unreachable, true)).toEqual(masked);
  expect(format(new GraphQLError('subgraph said: relation "x" does not exist'), true)).toEqual(masked);
  expect(format(unreachable, false).message).toMatch(/ECONNREFUSED/);
});

test('a database that is away or out of connections is SERVICE_UNAVAILABLE (retry), not an internal error', () => {
  const tooManyClients = Object.assign(
    new Error('Too many database connections opened: sorry, too many clients already'),
    {
      code: 'P2037',
      meta: { driverAdapterError: { cause: { originalCode: '53300', kind: 'TooManyConnections' } } },
    },
  );
  const formatted = {
    message: tooManyClients.message,
    path: ['createOrder'],
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
  expect(maskUnexpectedErrors(logger)(formatted, tooManyClients)).toEqual({
    message: 'The service is temporarily unavailable: retry shortly',
    path: ['createOrder'],
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });
});
