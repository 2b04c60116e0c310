import type { ApolloServer } from '@apollo/server';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** Runs one operation against the supergraph through the gateway itself (planning, subgraph calls, error masking). */
export type ExecuteGraphQL = (query: string, variables?: Record<string, unknown>) => Promise<GraphQLResult>;

export function executorFor(apollo: ApolloServer): ExecuteGraphQL {
  return async (query, variables) => {
    const response = await apollo.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this gateway');
    const { data, errors } = response.body.singleResult;
    return { data, errors };
  };
}
