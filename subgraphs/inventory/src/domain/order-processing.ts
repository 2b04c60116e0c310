import { orderCreated, orderProcessed, type OrderCreated, type OrderProcessed } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import { appendEvent } from '../../../../lib/outbox/append';
import type { InventoryPrisma } from '../data/prisma';
import { productRepository } from '../data/products';
import { onceForEvent } from '../data/transactions';
import { changeStock } from './products';

type Rejection = NonNullable<OrderProcessed['rejection']>;

export const orderReference = (orderId: number) => `order:${orderId}`;

/** Lines for the same product count together: an order of 2 + 3 units needs 5 in stock. */
function quantitiesByProduct(items: { productId: number; quantity: number }[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const item of items) totals.set(item.productId, (totals.get(item.productId) ?? 0) + item.quantity);
  return new Map([...totals].sort(([a], [b]) => a - b));
}

function findRejection(orderType: 'BUY' | 'SELL', wanted: Map<number, number>, stock: Map<number, number>): Rejection | undefined {
  for (const [productId, quantity] of wanted) {
    if (quantity <= 0) return { code: 'INVALID_QUANTITY', message: `quantity for product ${productId} must be positive`, productId };
    const available = stock.get(productId);
    if (available === undefined) return { code: 'UNKNOWN_PRODUCT', message: `product ${productId} does not exist`, productId };
    if (orderType === 'SELL' && available < quantity) {
      return { code: 'INSUFFICIENT_STOCK', message: `product ${productId}: ${quantity} wanted, ${available} in stock`, productId };
    }
  }
  return undefined;
}

/**
 * The inventory step of the order saga. SELL takes every line's stock, BUY brings it in; all lines
 * or none, in one transaction with the outcome event. Stock for a BUY enters on confirmation:
 * the order is the receipt (the replaced system worked the same way).
 */
export async function processOrderCreated(prisma: InventoryPrisma, event: Envelope<OrderCreated>): Promise<void> {
  const { orderId, orderType, items } = event.data;
  await onceForEvent(prisma, event.id, orderCreated.topic, async (tx) => {
    const wanted = quantitiesByProduct(items);
    const locked = await productRepository.lockStock(tx, [...wanted.keys()]);
    const rejection = findRejection(orderType, wanted, new Map(locked.map((row) => [row.id, row.stockQuantity])));
    if (rejection) {
      await appendEvent(tx, orderProcessed, { orderId, outcome: 'REJECTED', rejection });
      return;
    }
    for (const [productId, quantity] of wanted) {
      await changeStock(tx, {
        productId,
        quantityChange: orderType === 'SELL' ? -quantity : quantity,
        movementType: orderType === 'SELL' ? 'SALE' : 'PURCHASE',
        referenceId: orderReference(orderId),
        notes: null,
      });
    }
    await appendEvent(tx, orderProcessed, { orderId, outcome: 'CONFIRMED' });
  });
}
