import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input }, { orders }) => orders.create(input),
  updateOrderStatus: (_parent, { id, status, reason }, { orders }) => orders.updateStatus(id, status, reason),
  cancelOrder: (_parent, { id, reason }, { orders }) => orders.cancel(id, reason),
};
