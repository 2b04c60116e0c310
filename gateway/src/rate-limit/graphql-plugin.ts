import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { rateLimitedMessage } from './http';
import type { RateLimiter } from './limiter';

/** What the HTTP context carries for the plugin; operations run by the gateway itself carry none. */
export interface RateLimitContext {
  rateLimitKey?: string;
}

function rateLimitedError(retryAfter: number): GraphQLError {
  return new GraphQLError(rateLimitedMessage(retryAfter), {
    extensions: {
      code: 'RATE_LIMITED',
      retryAfter,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
    },
  });
}

/**
 * The stricter mutation budget on HTTP GraphQL: only once the operation is resolved is it known to
 * be a mutation (every request was already counted by the HTTP middleware). Operations the gateway
 * runs for the REST shim and for subscriptions carry no key: those are counted where they arrive.
 */
export function mutationRateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<RateLimitContext> {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ operation, contextValue }) => {
        if (operation?.operation !== 'mutation' || !contextValue.rateLimitKey) return;
        const retryAfter = await limiter(contextValue.rateLimitKey, 'mutation');
        if (retryAfter !== undefined) throw rateLimitedError(retryAfter);
      },
    }),
  };
}
