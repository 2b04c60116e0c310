import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input }, { orders }) => orders.create(input),
};
