import type { ApolloServer } from '@apollo/server';
import type { Identity } from '@io/auth/identity';
import type { GatewayContext } from './auth/context';

export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }>;
}

/** How an in-process operation runs besides its caller: `bypassResponseCache` for reads that must reach the subgraphs. */
type ExecuteOptions = Omit<GatewayContext, 'identity'>;

/** Runs one operation against the supergraph through the gateway itself (authorization, planning, subgraph calls, error masking). */
export type ExecuteGraphQL = (
  query: string,
  variables?: Record<string, unknown>,
  options?: ExecuteOptions,
) => Promise<GraphQLResult>;

/** The executor for one caller: everything it runs is authorized for, and forwarded to the subgraphs as, that identity. */
export type ExecuteAs = (identity: Identity | undefined) => ExecuteGraphQL;

export function executorFor(apollo: ApolloServer<GatewayContext>): ExecuteAs {
  return (identity) =>
    async (query, variables, options = {}) => {
      const response = await apollo.executeOperation({ query, variables }, { contextValue: { ...options, identity } });
      if (response.body.kind !== 'single') throw new Error('incremental delivery is not used by this gateway');
      const { data, errors } = response.body.singleResult;
      return { data, errors };
    };
}
