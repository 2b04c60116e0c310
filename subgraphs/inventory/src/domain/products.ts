import { z } from 'zod';
import { stockChanged } from '../../../../lib/events/catalog';
import { notFound } from '../../../../lib/graphql/errors';
import { parseId, validate } from '../../../../lib/graphql/validate';
import { appendEvent } from '../../../../lib/outbox/append';
import type { Product, StockMovement } from '../__generated__/prisma/client';
import type { InventoryPrisma } from '../data/prisma';
import { productRepository, type StockChange } from '../data/products';
import { inTransaction, type Tx } from '../data/transactions';

const maxQuantity = 1_000_000_000;

const newProductSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(2000).default(''),
  price: z.string().refine((price) => Number(price) >= 0, 'must not be negative'),
  stockQuantity: z.number().int().min(0, 'must not be negative').max(maxQuantity),
  minStockLevel: z.number().int().min(0, 'must not be negative').max(maxQuantity).default(0),
});

export const isLowStock = (product: Pick<Product, 'stockQuantity' | 'minStockLevel'>) =>
  product.stockQuantity <= product.minStockLevel;

/**
 * Changes a product's stock inside the caller's transaction: the movement, the new balance and the
 * stock-changed event commit together, so the ledger always sums to the stock.
 */
export async function changeStock(tx: Tx, change: StockChange): Promise<{ product: Product; movement: StockMovement }> {
  const result = await productRepository.applyStockChange(tx, change);
  await appendEvent(tx, stockChanged, {
    productId: result.product.id,
    quantityChange: change.quantityChange,
    stockQuantity: result.product.stockQuantity,
    minStockLevel: result.product.minStockLevel,
    movementType: change.movementType,
    referenceId: change.referenceId,
    stockVersion: result.product.stockVersion,
  });
  return result;
}

export function productUseCases(prisma: InventoryPrisma) {
  return {
    list: () => productRepository.list(prisma),
    listLowStock: () => productRepository.listLowStock(prisma),
    findById: (id: string | number) => productRepository.findById(prisma, parseId(id)),
    findByIds: (ids: readonly number[]) => productRepository.findByIds(prisma, ids),
    movements: (productId: number, limit: number) => productRepository.movements(prisma, productId, Math.min(Math.max(limit, 0), 500)),

    async getById(id: string | number): Promise<Product> {
      const product = await productRepository.findById(prisma, parseId(id));
      if (!product) throw notFound('Product', id);
      return product;
    },

    /** Creates the product; its initial stock enters the ledger as an INITIAL movement. */
    create: (input: unknown): Promise<Product> => {
      const { stockQuantity, ...product } = validate(newProductSchema, input);
      return inTransaction(prisma, async (tx) => {
        const created = await productRepository.create(tx, product);
        if (stockQuantity === 0) return created;
        const { product: stocked } = await changeStock(tx, {
          productId: created.id, quantityChange: stockQuantity, movementType: 'INITIAL', referenceId: null, notes: 'initial stock',
        });
        return stocked;
      });
    },
  };
}

export type ProductUseCases = ReturnType<typeof productUseCases>;
