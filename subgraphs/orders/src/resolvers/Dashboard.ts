import type { DashboardResolvers } from '../__generated__/resolvers-types';
import { refuseCustomers } from '../domain/customer-scope';

/** Orders' part of the monitor's dashboard. */
export const Dashboard: DashboardResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orderStats: (_dashboard, _args, { stats, viewer }) => {
    refuseCustomers(viewer, "read the figures of every customer's orders");
    return stats.summary();
  },
  orderTimeline: (_dashboard, { minutes }, { stats, viewer }) => {
    refuseCustomers(viewer, "read the figures of every customer's orders");
    return stats.timeline(minutes);
  },
};
