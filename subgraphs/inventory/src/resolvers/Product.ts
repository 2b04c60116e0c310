import type { ProductResolvers } from '../__generated__/resolvers-types';
import { isLowStock, stockLevel } from '../domain/stock';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { productById }) => {
    const key = Number(id);
    return Number.isSafeInteger(key) ? productById.load(key) : null;
  },
  id: (product) => String(product.id),
  price: (product) => product.price.toFixed(2),
  isLowStock: (product) => isLowStock(product),
  stockLevel: (product) => stockLevel(product),
  movements: (product, { limit, offset }, { products }) => products.movements(product.id, limit, offset),
  movementCount: (product, _args, { products }) => products.movementCount(product.id),
};
