import type { DashboardResolvers } from '../__generated__/resolvers-types';

/** The monitor's part of the dashboard; inventory and orders add theirs to the same entity. */
export const Dashboard: DashboardResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  services: (_dashboard, _args, { health }) => health.list(),
  kafka: (_dashboard, _args, { kafka }) => kafka.collect(),
  openAlerts: (_dashboard, { limit }, { alerts }) => alerts.listUnresolved(limit),
  openAlertCount: (_dashboard, _args, { alerts }) => alerts.countUnresolved(),
  consumerLag: (_dashboard, { minutes }, { kafka }) => kafka.lagOver(minutes),
  generatedAt: () => new Date(),
};
