import type { QueryResolvers } from '../__generated__/resolvers-types';
import { filterFor, refuseCustomers, visibleTo } from '../domain/customer-scope';

export const Query: QueryResolvers = {
  orders: (_parent, { filter, limit, offset }, { orders, viewer }) =>
    orders.list(filterFor(viewer, filter), limit, offset),
  orderCount: (_parent, { filter }, { orders, viewer }) => orders.count(filterFor(viewer, filter)),
  order: async (_parent, { id }, { orders, viewer }) => visibleTo(viewer, await orders.findById(id)),
  orderStats: (_parent, _args, { stats, viewer }) => {
    refuseCustomers(viewer, "read the figures of every customer's orders");
    return stats.summary();
  },
};
