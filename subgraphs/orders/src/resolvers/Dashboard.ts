import type { DashboardResolvers } from '../__generated__/resolvers-types';

/** Orders' part of the monitor's dashboard. */
export const Dashboard: DashboardResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orderStats: (_dashboard, _args, { stats }) => stats.summary(),
};
