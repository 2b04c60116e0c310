import type { MovementType, Prisma, Product, StockMovement } from '../__generated__/prisma/client';
import { likeLiteral } from '@io/db/like';
import type { InventoryPrisma } from './prisma';

type Db = InventoryPrisma | Prisma.TransactionClient;

export interface NewProduct {
  name: string;
  description: string;
  price: string;
  minStockLevel: number;
}

export type ProductChanges = Partial<NewProduct>;

export interface ProductFilter {
  search?: string | null;
  lowStock?: boolean | null;
}

export interface StockChange {
  productId: number;
  quantityChange: number;
  movementType: MovementType;
  referenceId: string | null;
  notes: string | null;
}

function where(db: Db, filter: ProductFilter = {}): Prisma.ProductWhereInput {
  const conditions: Prisma.ProductWhereInput[] = [];
  if (filter.search) conditions.push({ name: { contains: likeLiteral(filter.search), mode: 'insensitive' } });
  if (filter.lowStock === true) conditions.push({ stockQuantity: { lte: db.product.fields.minStockLevel } });
  if (filter.lowStock === false) conditions.push({ stockQuantity: { gt: db.product.fields.minStockLevel } });
  return { AND: conditions };
}

/** The only module that reads or writes products and their stock ledger. */
export const productRepository = {
  create: (db: Db, product: NewProduct): Promise<Product> =>
    db.product.create({ data: { ...product, stockQuantity: 0 } }),

  update: (db: Db, id: number, changes: ProductChanges): Promise<Product> =>
    db.product.update({ where: { id }, data: changes }),

  findById: (db: Db, id: number): Promise<Product | null> => db.product.findUnique({ where: { id } }),

  findMovement: (db: Db, id: number): Promise<StockMovement | null> => db.stockMovement.findUnique({ where: { id } }),

  findByIds: (db: Db, ids: readonly number[]): Promise<Product[]> =>
    db.product.findMany({ where: { id: { in: [...ids] } } }),

  list: (db: Db, filter: ProductFilter, limit: number, offset: number): Promise<Product[]> =>
    db.product.findMany({ where: where(db, filter), orderBy: { id: 'asc' }, take: limit, skip: offset }),

  count: (db: Db, filter: ProductFilter): Promise<number> => db.product.count({ where: where(db, filter) }),

  /**
   * Locks the given products until the transaction ends, each once and in id order so that concurrent
   * lockers never deadlock; returns what a stock change needs to know of them.
   */
  lockStock: (db: Prisma.TransactionClient, ids: readonly number[]) =>
    db.$queryRaw<Pick<Product, 'id' | 'name' | 'stockQuantity' | 'minStockLevel' | 'stockVersion'>[]>`
      SELECT id, name, stock_quantity AS "stockQuantity", min_stock_level AS "minStockLevel", stock_version AS "stockVersion"
      FROM products WHERE id = ANY(${[...new Set(ids)]}::int[]) ORDER BY id FOR UPDATE`,

  /** Applies a stock change and records its movement; the CHECK constraint refuses a negative result. */
  applyStockChange: async (
    db: Prisma.TransactionClient,
    change: StockChange,
  ): Promise<{ product: Product; movement: StockMovement }> => {
    const product = await db.product.update({
      where: { id: change.productId },
      data: { stockQuantity: { increment: change.quantityChange }, stockVersion: { increment: 1 } },
    });
    const movement = await db.stockMovement.create({
      data: { ...change, balanceAfter: product.stockQuantity },
    });
    return { product, movement };
  },

  movements: (db: Db, productId: number, limit: number, offset: number): Promise<StockMovement[]> =>
    db.stockMovement.findMany({ where: { productId }, orderBy: { id: 'desc' }, take: limit, skip: offset }),

  movementCount: (db: Db, productId: number): Promise<number> => db.stockMovement.count({ where: { productId } }),

  /** The movements an order caused (to reverse them when it is cancelled). */
  movementsFor: (db: Db, referenceId: string): Promise<StockMovement[]> =>
    db.stockMovement.findMany({ where: { referenceId }, orderBy: { id: 'asc' } }),
};
