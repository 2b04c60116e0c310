import { stockChanged, stockLevelChanged, type StockLevel } from '../../../../lib/events/catalog';
import { appendEvent } from '../../../../lib/outbox/append';
import type { Product, StockMovement } from '../__generated__/prisma/client';
import { productRepository, type StockChange } from '../data/products';
import type { Tx } from '../data/transactions';

export function stockLevel(product: Pick<Product, 'stockQuantity' | 'minStockLevel'>): StockLevel {
  if (product.stockQuantity === 0) return 'OUT';
  return product.stockQuantity <= product.minStockLevel ? 'LOW' : 'OK';
}

export const isLowStock = (product: Pick<Product, 'stockQuantity' | 'minStockLevel'>) =>
  product.stockQuantity <= product.minStockLevel;

/** Announces a crossing of the minimum level (or of zero), in either direction; a new product starts from OK. */
export async function announceLevelChange(tx: Tx, before: Pick<Product, 'stockQuantity' | 'minStockLevel'> | null, after: Product): Promise<void> {
  const previousLevel = before ? stockLevel(before) : 'OK';
  const level = stockLevel(after);
  if (previousLevel === level) return;
  await appendEvent(tx, stockLevelChanged, {
    productId: after.id, productName: after.name, previousLevel, level,
    stockQuantity: after.stockQuantity, minStockLevel: after.minStockLevel, stockVersion: after.stockVersion,
  });
}

/**
 * Changes a product's stock inside the caller's transaction: the movement, the new balance and the
 * events commit together, so the ledger always sums to the stock and every change is announced.
 */
export async function changeStock(tx: Tx, change: StockChange, isNewProduct = false): Promise<{ product: Product; movement: StockMovement }> {
  const result = await productRepository.applyStockChange(tx, change);
  const { product } = result;
  await appendEvent(tx, stockChanged, {
    productId: product.id,
    quantityChange: change.quantityChange,
    stockQuantity: product.stockQuantity,
    minStockLevel: product.minStockLevel,
    movementType: change.movementType,
    referenceId: change.referenceId,
    stockVersion: product.stockVersion,
  });
  const before = isNewProduct ? null : { stockQuantity: product.stockQuantity - change.quantityChange, minStockLevel: product.minStockLevel };
  await announceLevelChange(tx, before, product);
  return result;
}
