import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  orders: (_parent, { filter, limit, offset }, { orders }) => orders.list(filter, limit, offset),
  orderCount: (_parent, { filter }, { orders }) => orders.count(filter),
  order: (_parent, { id }, { orders }) => orders.findById(id),
  orderStats: (_parent, _args, { stats }) => stats.summary(),
};
