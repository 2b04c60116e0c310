import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  orders: (_parent, { limit }, { orders }) => orders.list(limit ?? 50),
  order: (_parent, { id }, { orders }) => orders.findById(id),
};
