import { restErrorFor } from '../src/rest/graphql-errors';

const body = (errors: Parameters<typeof restErrorFor>[0], source: 'body' | 'query' = 'body') => {
  const error = restErrorFor(errors, source);
  return { status: error.status, ...error.toJSON() };
};

test("a subgraph's BAD_USER_INPUT names the REST field, without the operation's input wrapper", () => {
  expect(
    body([
      {
        message: 'input.items.0.productId: not a valid id',
        extensions: { code: 'BAD_USER_INPUT', field: 'input.items.0.productId' },
      },
    ]),
  ).toEqual({
    status: 422,
    error: { code: 'BAD_USER_INPUT', message: 'items.0.product_id: not a valid id', field: 'items.0.product_id' },
  });
});

test('bad input in a query string is a 400, in a body a 422', () => {
  const error = { message: 'filter.search: too long', extensions: { code: 'BAD_USER_INPUT', field: 'filter.search' } };
  expect(body([error], 'query')).toEqual({
    status: 400,
    error: { code: 'BAD_USER_INPUT', message: 'search: too long', field: 'search' },
  });
  expect(body([error], 'body').status).toBe(422);
});

test('a variable the gateway cannot coerce names the field from the coercion path', () => {
  expect(
    body([
      {
        message:
          'Variable "$input" got invalid value 1.5 at "input.items[0].quantity"; Int cannot represent non-integer value: 1.5',
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]),
  ).toEqual({
    status: 422,
    error: {
      code: 'BAD_USER_INPUT',
      message: 'items.0.quantity: Int cannot represent non-integer value: 1.5',
      field: 'items.0.quantity',
    },
  });
});

test("NOT_FOUND is 404, CONFLICT 409, each with the subgraph's message", () => {
  expect(body([{ message: 'Order 9 not found', extensions: { code: 'NOT_FOUND' } }])).toEqual({
    status: 404,
    error: { code: 'NOT_FOUND', message: 'Order 9 not found' },
  });
  expect(
    body([{ message: 'order 1 is SHIPPED; it cannot become CANCELLED', extensions: { code: 'CONFLICT' } }]),
  ).toEqual({ status: 409, error: { code: 'CONFLICT', message: 'order 1 is SHIPPED; it cannot become CANCELLED' } });
});

test('an unexpected error is a 500 that reveals nothing, and a client error among several wins', () => {
  expect(body([{ message: 'connect ECONNREFUSED 10.0.0.1', extensions: { code: 'INTERNAL_SERVER_ERROR' } }])).toEqual({
    status: 500,
    error: { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
  });
  expect(
    body([
      { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      { message: 'Product 3 not found', extensions: { code: 'NOT_FOUND' } },
    ]),
  ).toEqual({ status: 404, error: { code: 'NOT_FOUND', message: 'Product 3 not found' } });
});
