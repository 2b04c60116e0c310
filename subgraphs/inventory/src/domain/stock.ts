import { stockChanged, stockLevelChanged, type StockLevel } from '@io/events/catalog';
import { appendEvents, outboxEntry, type OutboxEntry } from '@io/outbox/append';
import type { MovementType, Product, StockMovement } from '../__generated__/prisma/client';
import { productRepository, type StockChange } from '../data/products';
import type { Tx } from '../data/prisma';

type StockFigures = Pick<Product, 'stockQuantity' | 'minStockLevel'>;

export function stockLevel(product: StockFigures): StockLevel {
  if (product.stockQuantity === 0) return 'OUT';
  return product.stockQuantity <= product.minStockLevel ? 'LOW' : 'OK';
}

export const isLowStock = (product: StockFigures) => product.stockQuantity <= product.minStockLevel;

/** A product's state right after one stock change. */
export type ChangedProduct = Pick<Product, 'id' | 'name' | 'stockQuantity' | 'minStockLevel' | 'stockVersion'>;

/** stock-level-changed when the stock crossed the minimum level (or zero), either way; a new product (`before` null) starts from OK. */
function levelChange(before: StockFigures | null, after: ChangedProduct, eventId?: string): OutboxEntry | null {
  const previousLevel = before ? stockLevel(before) : 'OK';
  const level = stockLevel(after);
  if (previousLevel === level) return null;
  return outboxEntry(
    stockLevelChanged,
    {
      productId: after.id,
      productName: after.name,
      previousLevel,
      level,
      stockQuantity: after.stockQuantity,
      minStockLevel: after.minStockLevel,
      stockVersion: after.stockVersion,
    },
    eventId,
  );
}

/** The events that announce one stock change: stock-changed, and stock-level-changed on a crossing. */
export function stockChangeEvents(
  after: ChangedProduct,
  change: { quantityChange: number; movementType: MovementType; referenceId: string | null },
  isNewProduct = false,
  eventIds: (type: string) => string | undefined = () => undefined,
): OutboxEntry[] {
  const changed = outboxEntry(
    stockChanged,
    {
      productId: after.id,
      quantityChange: change.quantityChange,
      stockQuantity: after.stockQuantity,
      minStockLevel: after.minStockLevel,
      movementType: change.movementType,
      referenceId: change.referenceId,
      stockVersion: after.stockVersion,
    },
    eventIds(stockChanged.type),
  );
  const before = isNewProduct
    ? null
    : { stockQuantity: after.stockQuantity - change.quantityChange, minStockLevel: after.minStockLevel };
  const crossing = levelChange(before, after, eventIds(stockLevelChanged.type));
  return crossing ? [changed, crossing] : [changed];
}

/** Announces a crossing without a stock change: a new minimum, or a new product without stock (`before` null). */
export async function announceLevelChange(tx: Tx, before: StockFigures | null, after: Product): Promise<void> {
  const crossing = levelChange(before, after);
  if (crossing) await appendEvents(tx, [crossing]);
}

/**
 * Changes a product's stock inside the caller's transaction: the movement, the new balance and the
 * events commit together, so the ledger always sums to the stock and every change is announced.
 */
export async function changeStock(
  tx: Tx,
  change: StockChange,
  isNewProduct = false,
  eventIds: (type: string) => string | undefined = () => undefined,
): Promise<{ product: Product; movement: StockMovement }> {
  const result = await productRepository.applyStockChange(tx, change);
  await appendEvents(tx, stockChangeEvents(result.product, change, isNewProduct, eventIds));
  return result;
}
