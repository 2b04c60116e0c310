import type { OrderItemResolvers } from '../__generated__/resolvers-types';

export const OrderItem: OrderItemResolvers = {
  productId: (item) => String(item.productId),
  product: (item) => ({ id: String(item.productId) }),
  unitPrice: (item) => item.unitPrice.toFixed(2),
  subtotal: (item) => item.unitPrice.times(item.quantity).toFixed(2),
};
