import type { ApolloServer } from '@apollo/server';
import type { ResponseCacheContext } from './response-cache';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** Runs one operation against the supergraph through the gateway itself (planning, subgraph calls, error masking). */
export type ExecuteGraphQL = (
  query: string,
  variables?: Record<string, unknown>,
  context?: ResponseCacheContext,
) => Promise<GraphQLResult>;

export function executorFor(apollo: ApolloServer<ResponseCacheContext>): ExecuteGraphQL {
  return async (query, variables, context = {}) => {
    const response = await apollo.executeOperation({ query, variables }, { contextValue: context });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this gateway');
    const { data, errors } = response.body.singleResult;
    return { data, errors };
  };
}
