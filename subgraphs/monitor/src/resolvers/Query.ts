import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  servicesHealth: (_parent, _args, { health }) => health.list(),
  serviceHealth: (_parent, { service }, { health }) => health.get(service),
  serviceHealthHistory: (_parent, { service, since, limit }, { health }) => health.history(service, since, limit),
  kafkaStats: (_parent, _args, { kafka }) => kafka.collect(),
  alerts: (_parent, { filter, limit, offset }, { alerts }) => alerts.list(filter, limit, offset),
  alertCount: (_parent, { filter }, { alerts }) => alerts.count(filter),
  alert: (_parent, { id }, { alerts }) => alerts.findById(id),
  dashboard: () => ({ id: 'current' }),
  deadLetters: (_parent, { topic, limit, offset }, { deadLetters }) => deadLetters.list(topic, limit, offset),
  deadLetterCount: (_parent, { topic }, { deadLetters }) => deadLetters.count(topic),
};
