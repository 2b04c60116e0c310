import type { ProductResolvers } from '../__generated__/resolvers-types';
import { isLowStock } from '../domain/products';

export const Product: ProductResolvers = {
  __resolveReference: ({ id }, { productById }) => {
    const key = Number(id);
    return Number.isSafeInteger(key) ? productById.load(key) : null;
  },
  id: (product) => String(product.id),
  price: (product) => product.price.toFixed(2),
  isLowStock: (product) => isLowStock(product),
  movements: (product, { limit }, { products }) => products.movements(product.id, limit ?? 50),
};
