import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { operationCost } from './cost';
import { limitError } from './rules';

/**
 * The cost limit, cheap on the hot path: a document's cost with every variable `limit` counted as
 * a full page is computed once per parsed document (Apollo's document cache hands back the same
 * object) and, when under the limit, settles it. Only a document that could exceed the limit is
 * costed again with the request's own variables.
 */
export function costChecker(maxCost: number) {
  const pessimistic = new WeakMap<DocumentNode, number>();
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown> | undefined,
  ): GraphQLError | undefined => {
    let cost = pessimistic.get(document);
    if (cost === undefined) {
      cost = operationCost(schema, document, operation, 'pessimistic');
      pessimistic.set(document, cost);
    }
    if (cost <= maxCost) return undefined;
    cost = operationCost(schema, document, operation, variables ?? {});
    if (cost <= maxCost) return undefined;
    return limitError('cost', `operation cost ${cost} exceeds the limit of ${maxCost}`);
  };
}

/** Refuses an operation over the cost limit after it is resolved, before the gateway plans or runs it. */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  const check = costChecker(maxCost);
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ schema, document, operation, request }) => {
        if (!operation) return;
        const error = check(schema, document, operation, request.variables);
        if (error)
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
      },
    }),
  };
}
