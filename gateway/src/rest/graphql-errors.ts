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
    const message = error.message.startsWith(`${declared}: `) ? `${field}: ${error.message.slice(declared.length + 2)}` : error.message;
    return new RestError(status, 'BAD_USER_INPUT', message, field);
  }
  const coerced = coercion.exec(error.message);
  if (coerced) {
    const field = restField(coerced[2] ?? coerced[1]);
    return new RestError(status, 'BAD_USER_INPUT', `${field}: ${coerced[3]}`, field);
  }
  return new RestError(status, 'BAD_USER_INPUT', error.message);
}

/** One GraphQL error as the REST error a client of the replaced system would expect. */
function restErrorFrom(error: GraphQLErrorLike, source: InputSource): RestError {
  switch (error.extensions?.code) {
    case 'BAD_USER_INPUT': return badUserInput(error, source);
    case 'NOT_FOUND': return new RestError(404, 'NOT_FOUND', error.message);
    case 'CONFLICT': return new RestError(409, 'CONFLICT', error.message);
    case 'UNAUTHENTICATED': return new RestError(401, 'UNAUTHENTICATED', error.message);
    case 'FORBIDDEN': return new RestError(403, 'FORBIDDEN', error.message);
    case 'SERVICE_UNAVAILABLE': return new RestError(503, 'SERVICE_UNAVAILABLE', error.message);
    default: return new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  }
}

const clientCodes = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED', 'FORBIDDEN']);

/** The REST error for a failed operation: the client's own mistake explains it better than a server fault. */
export function restErrorFor(errors: ReadonlyArray<GraphQLErrorLike>, source: InputSource): RestError {
  return restErrorFrom(errors.find((error) => clientCodes.has(String(error.extensions?.code))) ?? errors[0], source);
}
