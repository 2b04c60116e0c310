import type { DashboardResolvers } from '../__generated__/resolvers-types';

/** Inventory's part of the monitor's dashboard. */
export const Dashboard: DashboardResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  lowStockProducts: (_dashboard, _args, { products }) => products.listLowStock(),
  productCount: (_dashboard, _args, { products }) => products.count(null),
};
