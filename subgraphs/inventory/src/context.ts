import DataLoader from 'dataloader';
import type { Identity } from '@io/auth/identity';
import type { Product } from './__generated__/prisma/client';
import type { ProductUseCases } from './domain/products';

export interface Context {
  products: ProductUseCases;
  /** Per request: every Product reference in one operation is fetched with one query. */
  productById: DataLoader<number, Product | null>;
  /** Whose idempotency keys the request's are (the identity's subject; `anonymous` without one). */
  caller: string;
}

export function createContext(products: ProductUseCases, identity: Identity | null = null): Context {
  return {
    products,
    caller: identity?.subject ?? 'anonymous',
    productById: new DataLoader(async (ids) => {
      const byId = new Map((await products.findByIds(ids)).map((product) => [product.id, product]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
