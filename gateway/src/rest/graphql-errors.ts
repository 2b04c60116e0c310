import { errorCodes, type ErrorCode } from '@io/graphql/errors';
import type { GraphQLResult } from '../execute';
import { snakeCasePath } from './case';
import { RestError } from './errors';

type GraphQLErrorLike = NonNullable<GraphQLResult['errors']>[number];

/** Where a request's user input travelled: a bad body field is 422, a bad query parameter 400. */
export type InputSource = 'body' | 'query';

// Operation variables wrap the REST fields in `input` or `filter`; the REST client never sees that level.
const wrappers = new Set(['input', 'filter']);

/** `input.items[0].unitPrice` or `input.items.0.unitPrice` → `items.0.unit_price`. */
function restField(graphqlField: string): string {
  const segments = graphqlField.replace(/\[(\d+)\]/g, '.$1').split('.');
  const inner = segments.length > 1 && wrappers.has(segments[0]) ? segments.slice(1) : segments;
  return snakeCasePath(inner.join('.'));
}

// Apollo's variable coercion: `Variable "$input" got invalid value "9.999" at "input.price"; Decimal must be ...`.
const coercion = /^Variable "\$(\w+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s;

function badUserInput(error: GraphQLErrorLike, source: InputSource): RestError {
  const status = source === 'body' ? 422 : 400;
  const declared = error.extensions?.field;
  if (typeof declared === 'string') {
    const field = restField(declared);
    const message = error.message.startsWith(`${declared}: `)
      ? `${field}: ${error.message.slice(declared.length + 2)}`
      : error.message;
    return new RestError(status, 'BAD_USER_INPUT', message, field);
  }
  const coerced = coercion.exec(error.message);
  if (coerced) {
    const field = restField(coerced[2] ?? coerced[1]);
    return new RestError(status, 'BAD_USER_INPUT', `${field}: ${coerced[3]}`, field);
  }
  return new RestError(status, 'BAD_USER_INPUT', error.message);
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && code in errorCodes;

/** One GraphQL error as the REST error a client of the replaced system would expect; the status comes with the code. */
function restErrorFrom(error: GraphQLErrorLike, source: InputSource): RestError {
  const code = error.extensions?.code;
  if (code === 'BAD_USER_INPUT') return badUserInput(error, source);
  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR')
    return new RestError(errorCodes[code], code, error.message);
  return new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
}

const isClientError = (error: GraphQLErrorLike) => {
  const code = error.extensions?.code;
  return isErrorCode(code) && errorCodes[code] >= 400 && errorCodes[code] < 500;
};

/** The REST error for a failed operation: the client's own mistake explains it better than a server fault. */
export function restErrorFor(errors: ReadonlyArray<GraphQLErrorLike>, source: InputSource): RestError {
  return restErrorFrom(errors.find(isClientError) ?? errors[0], source);
}
