import type { OrderResolvers } from '../__generated__/resolvers-types';
import { visibleTo } from '../domain/customer-scope';

export const Order: OrderResolvers = {
  __resolveReference: async ({ id }, { orders, viewer }) => visibleTo(viewer, await orders.findById(id)),
  id: (order) => String(order.id),
  totalAmount: (order) => order.totalAmount.toFixed(2),
  items: (order, _args, { itemsByOrder }) => itemsByOrder.load(order.id),
  history: (order, _args, { historyByOrder }) => historyByOrder.load(order.id),
};
