import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  alerts: (_parent, { state, limit }, { alerts }) => alerts.list(state ?? undefined, limit ?? 50),
};
