import { idempotentRequest } from '@io/db/idempotency';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { newOrderFor, refuseCustomers, requireVisible } from '../domain/customer-scope';

export const Mutation: MutationResolvers = {
  createOrder: (_parent, { input, idempotencyKey }, { orders, viewer, caller }) =>
    orders.create(newOrderFor(viewer, input), idempotentRequest(caller, idempotencyKey, 'createOrder', { input })),
  updateOrderStatus: (_parent, { id, status, reason }, { orders, viewer }) => {
    refuseCustomers(viewer, 'change the status of an order (they may cancel their own)');
    return orders.updateStatus(id, status, reason);
  },
  cancelOrder: async (_parent, { id, reason, idempotencyKey }, { orders, viewer, caller }) => {
    const request = idempotentRequest(caller, idempotencyKey, 'cancelOrder', { id, reason });
    requireVisible(viewer, await orders.findById(id), id);
    return orders.cancel(id, reason, request);
  },
};
