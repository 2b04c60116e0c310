import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { classifyFailure } from '@io/kafka/failure';
import type { Logger } from '@io/logger';

const generic = (formatted: GraphQLFormattedError): GraphQLFormattedError => ({
  message: 'Internal server error',
  path: formatted.path,
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
});

/**
 * The database (or the broker) is away, out of connections or shutting down: nothing about the
 * request was wrong, and the same request may succeed in a moment. Clients retry on this code
 * (with an idempotency key where the operation takes one), not on INTERNAL_SERVER_ERROR.
 */
const unavailable = (formatted: GraphQLFormattedError): GraphQLFormattedError => ({
  message: 'The service is temporarily unavailable: retry shortly',
  path: formatted.path,
  extensions: { code: 'SERVICE_UNAVAILABLE' },
});

/**
 * Errors raised on purpose (GraphQLErrors with a code) reach the client as they are; anything else
 * (a Prisma or Kafka error, a bug) is logged and masked, so no internal detail leaks. With
 * `maskAll` (production) every internal error is masked, also those raised as GraphQLErrors — a
 * subgraph the gateway could not reach, with its address — and errors that carry no code.
 */
export function maskUnexpectedErrors(logger: Logger, options: { maskAll?: boolean } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    const internal = code === 'INTERNAL_SERVER_ERROR' || (options.maskAll === true && code === undefined);
    if (!internal) return formatted;
    if (original instanceof GraphQLError && !options.maskAll) return formatted;
    if (classifyFailure(original) === 'transient') {
      logger.warn({ err: original, path: formatted.path, message: formatted.message }, 'dependency unavailable');
      return unavailable(formatted);
    }
    logger.error({ err: original, path: formatted.path, message: formatted.message }, 'unexpected error');
    return generic(formatted);
  };
}
