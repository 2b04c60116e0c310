import type { StockMovementResolvers } from '../__generated__/resolvers-types';

export const StockMovement: StockMovementResolvers = {
  id: (movement) => String(movement.id),
  product: (movement, _args, { productById }) =>
    productById
      .load(movement.productId)
      .then((product) => product ?? Promise.reject(new Error(`product ${movement.productId} vanished`))),
};
