import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  alerts: (_parent, { filter, limit }, { alerts }) => alerts.list(filter?.state ?? undefined, limit ?? 50),
};
