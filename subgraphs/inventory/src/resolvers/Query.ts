import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  products: (_parent, _args, { products }) => products.list(),
  product: (_parent, { id }, { products }) => products.findById(id),
  lowStockProducts: (_parent, _args, { products }) => products.listLowStock(),
};
