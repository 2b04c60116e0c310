import {
  orderCancelled, orderCreated, orderProcessed, type OrderCancelled, type OrderCreated, type OrderProcessed,
} from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import { appendEvent } from '../../../../lib/outbox/append';
import type { InventoryPrisma } from '../data/prisma';
import { productRepository } from '../data/products';
import { onceForEvent } from '../data/transactions';
import { stockEffectRepository } from '../data/stock-effects';
import { changeStock } from './stock';

type Rejection = NonNullable<OrderProcessed['rejection']>;

export const orderReference = (orderId: number) => `order:${orderId}`;

type Decision = { accepted: Map<number, number>; rejection?: never } | { rejection: Rejection; accepted?: never };

/**
 * The rule of the saga's inventory step, given the current stock of the ordered products.
 * Lines for the same product count together: 2 + 3 units need 5 in stock.
 */
export function decideOrder(orderType: 'BUY' | 'SELL', items: { productId: number; quantity: number }[], stock: Map<number, number>): Decision {
  const wanted = new Map<number, number>();
  for (const { productId, quantity } of items) {
    if (quantity <= 0) return { rejection: { code: 'INVALID_QUANTITY', message: `quantity for product ${productId} must be positive`, productId } };
    wanted.set(productId, (wanted.get(productId) ?? 0) + quantity);
  }
  for (const [productId, quantity] of wanted) {
    const available = stock.get(productId);
    if (available === undefined) return { rejection: { code: 'UNKNOWN_PRODUCT', message: `product ${productId} does not exist`, productId } };
    if (orderType === 'SELL' && available < quantity) {
      return { rejection: { code: 'INSUFFICIENT_STOCK', message: `product ${productId}: ${quantity} wanted, ${available} in stock`, productId } };
    }
  }
  return { accepted: new Map([...wanted].sort(([a], [b]) => a - b)) };
}

/**
 * The inventory step of the saga. SELL takes every line's stock, BUY brings it in; all lines or
 * none, in one transaction with the outcome event. Stock for a BUY enters on confirmation: the
 * order is the receipt (as in the replaced system). An order cancelled before it got here is
 * rejected without touching stock.
 */
export async function processOrderCreated(prisma: InventoryPrisma, event: Envelope<OrderCreated>): Promise<void> {
  const { orderId, orderType, items } = event.data;
  await onceForEvent(prisma, event.id, orderCreated.topic, async (tx) => {
    const effect = await stockEffectRepository.lock(tx, orderId);
    if (effect !== null) {
      const rejection = { code: 'ORDER_CANCELLED' as const, message: `order ${orderId} was cancelled before inventory processed it` };
      if (effect === 'CANCELLED_FIRST') await appendEvent(tx, orderProcessed, { orderId, outcome: 'REJECTED', rejection });
      return;
    }
    const locked = await productRepository.lockStock(tx, [...new Set(items.map((item) => item.productId))]);
    const decision = decideOrder(orderType, items, new Map(locked.map((row) => [row.id, row.stockQuantity])));
    if (decision.rejection) {
      await appendEvent(tx, orderProcessed, { orderId, outcome: 'REJECTED', rejection: decision.rejection });
      return;
    }
    for (const [productId, quantity] of decision.accepted) {
      await changeStock(tx, {
        productId,
        quantityChange: orderType === 'SELL' ? -quantity : quantity,
        movementType: orderType === 'SELL' ? 'SALE' : 'PURCHASE',
        referenceId: orderReference(orderId),
        notes: null,
      });
    }
    await stockEffectRepository.save(tx, orderId, 'APPLIED');
    await appendEvent(tx, orderProcessed, { orderId, outcome: 'CONFIRMED' });
  });
}

/**
 * Gives back, exactly once, what the order took (SELL) or brought (BUY). If the cancellation
 * overtakes the order, it leaves a mark so the order is never applied. A BUY whose stock was
 * sold in the meantime is given back as far as the stock allows: stock never goes negative.
 */
export async function processOrderCancelled(prisma: InventoryPrisma, event: Envelope<OrderCancelled>): Promise<void> {
  const { orderId } = event.data;
  await onceForEvent(prisma, event.id, orderCancelled.topic, async (tx) => {
    const effect = await stockEffectRepository.lock(tx, orderId);
    if (effect === null) {
      await stockEffectRepository.save(tx, orderId, 'CANCELLED_FIRST');
      return;
    }
    if (effect !== 'APPLIED') return;
    const taken = await productRepository.movementsFor(tx, orderReference(orderId));
    const netByProduct = new Map<number, number>();
    for (const movement of taken) netByProduct.set(movement.productId, (netByProduct.get(movement.productId) ?? 0) + movement.quantityChange);
    const locked = new Map((await productRepository.lockStock(tx, [...netByProduct.keys()])).map((row) => [row.id, row.stockQuantity]));
    for (const [productId, net] of [...netByProduct].sort(([a], [b]) => a - b)) {
      const giveBack = Math.max(-net, -(locked.get(productId) ?? 0));
      if (giveBack === 0) continue;
      await changeStock(tx, {
        productId, quantityChange: giveBack, movementType: 'RETURN', referenceId: orderReference(orderId), notes: 'order cancelled',
      });
    }
    await stockEffectRepository.save(tx, orderId, 'REVERSED');
  });
}
