import type { OrderStatsResolvers } from '../__generated__/resolvers-types';

export const OrderStats: OrderStatsResolvers = {
  topProducts: (_stats, { limit }, { stats }) => stats.topProducts(limit ?? 5),
};
