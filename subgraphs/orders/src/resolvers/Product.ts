import type { ProductResolvers } from '../__generated__/resolvers-types';

/** What orders knows of a product: batched, one query for every product reference in an operation. */
export const Product: ProductResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  quantitySold: ({ id }, _args, { activityByProduct }) =>
    activityByProduct.load(Number(id)).then((activity) => activity.quantitySold),
  quantityPurchased: ({ id }, _args, { activityByProduct }) =>
    activityByProduct.load(Number(id)).then((activity) => activity.quantityPurchased),
  pendingOrderCount: ({ id }, _args, { activityByProduct }) =>
    activityByProduct.load(Number(id)).then((activity) => activity.pendingOrderCount),
};
