import { idempotentRequest } from '@io/db/idempotency';
import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, { products }) => products.create(input),
  updateProduct: (_parent, { id, input }, { products }) => products.update(id, input),
  adjustStock: (_parent, { productId, input, idempotencyKey }, { products, caller }) =>
    products.adjust(productId, input, idempotentRequest(caller, idempotencyKey, 'adjustStock', { productId, input })),
};
