import { outboxInsert, type OutboxEntry } from '@io/outbox/append';
import type { Prisma, Product, StockEffectState } from '../__generated__/prisma/client';

type LockedProduct = Pick<Product, 'id' | 'name' | 'stockQuantity' | 'minStockLevel' | 'stockVersion'>;

/** What the inventory step decided for a batch of orders, as it is written. */
export interface OrderBatchWrites {
  /** Final balance and version of every product the batch changed. */
  products: readonly Pick<Product, 'id' | 'stockQuantity' | 'stockVersion'>[];
  /** Stock movements, in the order they happened. */
  movements: readonly {
    productId: number;
    quantityChange: number;
    movementType: 'SALE' | 'PURCHASE';
    referenceId: string;
    balanceAfter: number;
  }[];
  /** Orders whose stock change the batch applied. */
  applied: readonly number[];
  events: readonly OutboxEntry[];
}

/**
 * The saga's inventory step reads and writes a batch of orders in one statement each, across the
 * tables it spans (what was done per order, products, their ledger, the outbox): the step's
 * statements run one after another on the path of every order, and each costs a round trip and
 * the work of both ends (bench/RESULTS.md). Every other use of these tables goes through their own
 * modules.
 */
export const orderBatchRepository = {
  /**
   * What was done so far for these orders (absent: nothing), and the products, locked until the
   * transaction ends, each once and in id order (concurrent lockers never deadlock). The orders
   * must be locked already (`stockEffectRepository.lock`, an earlier statement, so that this one's
   * snapshot sees what the lock's previous holder committed).
   */
  readLocked: async (
    tx: Prisma.TransactionClient,
    orderIds: readonly number[],
    productIds: readonly number[],
  ): Promise<{ effects: Map<number, StockEffectState>; stock: Map<number, LockedProduct> }> => {
    const [row] = await tx.$queryRaw<
      { effects: { orderId: number; state: StockEffectState }[] | null; products: LockedProduct[] | null }[]
    >`
      SELECT
        (SELECT json_agg(json_build_object('orderId', order_id, 'state', state))
          FROM order_stock_effects WHERE order_id = ANY(${[...orderIds]}::int[])) AS effects,
        (SELECT json_agg(locked ORDER BY locked.id) FROM (
          SELECT id, name, stock_quantity AS "stockQuantity", min_stock_level AS "minStockLevel", stock_version AS "stockVersion"
          FROM products WHERE id = ANY(${[...new Set(productIds)]}::int[]) ORDER BY id FOR UPDATE) AS locked) AS products`;
    return {
      effects: new Map((row.effects ?? []).map((effect) => [effect.orderId, effect.state])),
      stock: new Map((row.products ?? []).map((product) => [product.id, product])),
    };
  },

  /**
   * Writes a batch's decisions to products locked by `readLocked`: final balances and versions,
   * every movement, the orders applied, and the events, in one statement whatever the count (raw
   * SQL over arrays). The CHECK constraint still refuses a negative balance.
   */
  write: async (tx: Prisma.TransactionClient, batch: OrderBatchWrites): Promise<void> => {
    const { products, movements, applied, events } = batch;
    if (products.length === 0 && movements.length === 0 && applied.length === 0 && events.length === 0) return;
    await tx.$executeRaw`
      WITH balances AS (
        UPDATE products AS p SET stock_quantity = v.stock, stock_version = v.version, updated_at = now()
        FROM unnest(${products.map((p) => p.id)}::int[], ${products.map((p) => p.stockQuantity)}::int[], ${products.map((p) => p.stockVersion)}::int[])
          AS v(id, stock, version)
        WHERE p.id = v.id),
      ledger AS (
        INSERT INTO stock_movements (product_id, quantity_change, balance_after, movement_type, reference_id)
        SELECT product_id, quantity_change, balance_after, movement_type::movement_type, reference_id
        FROM unnest(${movements.map((m) => m.productId)}::int[], ${movements.map((m) => m.quantityChange)}::int[], ${movements.map((m) => m.balanceAfter)}::int[],
          ${movements.map((m) => m.movementType)}::text[], ${movements.map((m) => m.referenceId)}::text[])
          WITH ORDINALITY AS m(product_id, quantity_change, balance_after, movement_type, reference_id, position)
        ORDER BY position),
      effects AS (
        INSERT INTO order_stock_effects (order_id, state, updated_at)
        SELECT order_id, 'APPLIED', now() FROM unnest(${[...applied]}::int[]) AS order_id)
      ${outboxInsert(events)}`;
  },
};
