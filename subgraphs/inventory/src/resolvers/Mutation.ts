import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, { products }) => products.create(input),
  updateProduct: (_parent, { id, input }, { products }) => products.update(id, input),
  adjustStock: (_parent, { productId, input }, { products }) => products.adjust(productId, input),
};
