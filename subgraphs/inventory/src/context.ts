import DataLoader from 'dataloader';
import type { Product } from './__generated__/prisma/client';
import type { ProductUseCases } from './domain/products';

export interface Context {
  products: ProductUseCases;
  /** Per request: every Product reference in one operation is fetched with one query. */
  productById: DataLoader<number, Product | null>;
}

export function createContext(products: ProductUseCases): Context {
  return {
    products,
    productById: new DataLoader(async (ids) => {
      const byId = new Map((await products.findByIds(ids)).map((product) => [product.id, product]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
