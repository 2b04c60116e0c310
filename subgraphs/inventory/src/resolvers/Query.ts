import type { QueryResolvers } from '../__generated__/resolvers-types';

export const Query: QueryResolvers = {
  products: (_parent, { filter, limit, offset }, { products }) => products.list(filter, limit, offset),
  productCount: (_parent, { filter }, { products }) => products.count(filter),
  product: (_parent, { id }, { products }) => products.findById(id),
  lowStockProducts: (_parent, _args, { products }) => products.listLowStock(),
};
