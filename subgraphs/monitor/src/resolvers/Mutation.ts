import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  acknowledgeAlert: (_parent, { id }, { alerts }) => alerts.acknowledge(id),
  replayDeadLetter: (_parent, { id }, { deadLetters }) => deadLetters.replay(id),
};
