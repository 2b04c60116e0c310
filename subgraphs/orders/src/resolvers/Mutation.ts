import type { MutationResolvers } from '../__generated__/resolvers-types';
import { newOrderFor, refuseCustomers, requireVisible } from '../domain/customer-scope';

export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input }, { orders, viewer }) => orders.create(newOrderFor(viewer, input)),
  updateOrderStatus: (_parent, { id, status, reason }, { orders, viewer }) => {
    refuseCustomers(viewer, 'change the status of an order (they may cancel their own)');
    return orders.updateStatus(id, status, reason);
  },
  cancelOrder: async (_parent, { id, reason }, { orders, viewer }) => {
    requireVisible(viewer, await orders.findById(id), id);
    return orders.cancel(id, reason);
  },
};
