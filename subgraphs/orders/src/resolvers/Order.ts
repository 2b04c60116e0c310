import type { OrderResolvers } from '../__generated__/resolvers-types';

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { orders }) => orders.findById(id),
  id: (order) => String(order.id),
  totalAmount: (order) => order.totalAmount.toFixed(2),
  items: (order, _args, { itemsByOrder }) => itemsByOrder.load(order.id),
  history: (order, _args, { historyByOrder }) => historyByOrder.load(order.id),
};
