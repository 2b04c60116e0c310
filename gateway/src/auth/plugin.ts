import type { ApolloServerPlugin } from '@apollo/server';
import type { AccessRules } from './access-rules';
import { Authorizer } from './authorize';
import type { GatewayContext } from './context';

/**
 * Enforces the SDL's @authenticated / @requiresScopes on every operation Apollo runs (HTTP, the
 * REST shim, queries and mutations over WebSocket, subscription entity queries): after validation,
 * before the gateway plans it, so a refused operation never reaches a subgraph.
 */
export function authorizationPlugin(
  rules: AccessRules,
  onAuthorizer: (authorizer: Authorizer) => void,
): ApolloServerPlugin<GatewayContext> {
  let authorizer: Authorizer | undefined;
  return {
    serverWillStart: async () => ({
      schemaDidLoadOrUpdate: ({ apiSchema }) => {
        authorizer = new Authorizer(apiSchema, rules);
        onAuthorizer(authorizer);
      },
    }),
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, operationName, contextValue }) => {
        const error = authorizer!.check(document, operationName, contextValue.identity);
        if (error) throw error;
      },
    }),
  };
}
