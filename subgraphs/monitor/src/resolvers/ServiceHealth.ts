import type { ServiceHealthResolvers } from '../__generated__/resolvers-types';

export const ServiceHealth: ServiceHealthResolvers = {
  availability: (check, { windowMinutes }, { health }) => health.availability(check.service, windowMinutes),
};
