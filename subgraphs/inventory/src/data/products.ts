import { Prisma } from '../__generated__/prisma/client';
import type { MovementType, Product, StockMovement } from '../__generated__/prisma/client';
import type { InventoryPrisma } from './prisma';

type Db = InventoryPrisma | Prisma.TransactionClient;

export interface NewProduct {
  name: string;
  description: string;
  price: string;
  minStockLevel: number;
}

export interface StockChange {
  productId: number;
  quantityChange: number;
  movementType: MovementType;
  referenceId: string | null;
  notes: string | null;
}

/** The only module that reads or writes products and their stock ledger. */
export const productRepository = {
  create: (db: Db, product: NewProduct): Promise<Product> =>
    db.product.create({ data: { ...product, stockQuantity: 0 } }),

  findById: (db: Db, id: number): Promise<Product | null> => db.product.findUnique({ where: { id } }),

  findByIds: (db: Db, ids: readonly number[]): Promise<Product[]> =>
    db.product.findMany({ where: { id: { in: [...ids] } } }),

  list: (db: Db): Promise<Product[]> => db.product.findMany({ orderBy: { id: 'asc' } }),

  listLowStock: (db: InventoryPrisma): Promise<Product[]> =>
    db.product.findMany({ where: { stockQuantity: { lte: db.product.fields.minStockLevel } }, orderBy: { id: 'asc' } }),

  /** Locks the given products until the transaction ends, in id order so that concurrent lockers never deadlock. */
  lockStock: (db: Prisma.TransactionClient, ids: readonly number[]) =>
    db.$queryRaw<{ id: number; stockQuantity: number }[]>`
      SELECT id, stock_quantity AS "stockQuantity" FROM products
      WHERE id = ANY(${[...ids]}::int[]) ORDER BY id FOR UPDATE`,

  /** Applies a stock change and records its movement; the CHECK constraint refuses a negative result. */
  applyStockChange: async (db: Prisma.TransactionClient, change: StockChange): Promise<{ product: Product; movement: StockMovement }> => {
    const product = await db.product.update({
      where: { id: change.productId },
      data: { stockQuantity: { increment: change.quantityChange }, stockVersion: { increment: 1 } },
    });
    const movement = await db.stockMovement.create({
      data: { ...change, balanceAfter: product.stockQuantity },
    });
    return { product, movement };
  },

  movements: (db: Db, productId: number, limit: number): Promise<StockMovement[]> =>
    db.stockMovement.findMany({ where: { productId }, orderBy: { id: 'desc' }, take: limit }),
};
