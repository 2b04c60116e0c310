import {
  orderCancelled,
  orderCreated,
  orderProcessed,
  type OrderCancelled,
  type OrderCreated,
} from '@io/events/catalog';
import type { Envelope } from '@io/events/envelope';
import { failureReason } from '@io/kafka/failure';
import { appendEvents, outboxEntry } from '@io/outbox/append';
import type { InventoryPrisma } from '../data/prisma';
import { orderBatchRepository } from '../data/order-batch';
import { productRepository } from '../data/products';
import { onceForEvent, onceForEvents } from '@io/db/slice';
import { stockEffectRepository } from '../data/stock-effects';
import { orderReference, planOrders } from './order-decision';
import { changeStock } from './stock';
import { quantityLimits } from '@io/domain/limits';

/**
 * The inventory step of the saga, for a batch of order-created events in one transaction. SELL
 * takes every line's stock, BUY brings it in; each order all lines or none, decided in event order
 * against the stock left by the orders before it. Stock for a BUY enters on confirmation: the
 * order is the receipt (as in the replaced system). An order cancelled before it got here is
 * rejected without touching stock. Every product of the batch is locked once, in id order, and
 * the whole batch takes four statements: its event ids recorded, its orders locked, what was done
 * for them read with their products locked, and every write.
 */
export async function handleOrderCreated(prisma: InventoryPrisma, events: Envelope<OrderCreated>[]): Promise<void> {
  await onceForEvents(prisma, events, orderCreated.topic, async (tx, fresh) => {
    const orders = fresh.map((event) => event.data);
    const orderIds = orders.map((order) => order.orderId);
    await stockEffectRepository.lock(tx, orderIds);
    // The products of every order are locked, also of those done for already (rare: a cancellation
    // that came first, the order's event again under a new id): one statement reads both, before
    // knowing which orders those are.
    const { effects, stock } = await orderBatchRepository.readLocked(
      tx,
      orderIds,
      orders.flatMap((order) => order.items.map((item) => item.productId)),
    );
    await orderBatchRepository.write(tx, planOrders(orders, effects, stock));
  });
}

/**
 * An order-created that kept failing was dead-lettered: inventory will not decide the order, so it
 * rejects it (PROCESSING_FAILED) instead of leaving it PENDING for ever. The event's id is recorded
 * with the verdict, so a replay of the dead letter, or a late redelivery, is a no-op: the order
 * was decided once, and its stock was never touched.
 */
export async function rejectUnprocessedOrder(
  prisma: InventoryPrisma,
  event: Envelope<OrderCreated>,
  error: unknown,
): Promise<void> {
  const { orderId } = event.data;
  const rejection = {
    code: 'PROCESSING_FAILED' as const,
    message: `inventory could not process order ${orderId}: ${failureReason(error)}`.slice(0, 400),
  };
  await onceForEvent(prisma, event.id, orderCreated.topic, (tx) =>
    appendEvents(tx, [outboxEntry(orderProcessed, { orderId, outcome: 'REJECTED', rejection })]),
  );
}

/** The compensation of the saga: cancellations are rare, so each is applied in its own transaction. */
export async function handleOrderCancelled(prisma: InventoryPrisma, events: Envelope<OrderCancelled>[]): Promise<void> {
  for (const event of events) await giveBackStock(prisma, event);
}

/**
 * Gives back, exactly once, what the order took (SELL) or brought (BUY). If the cancellation
 * overtakes the order, it leaves a mark so the order is never applied. A BUY whose stock was
 * sold in the meantime is given back as far as the stock allows: stock never goes negative; a
 * SELL whose product was filled to the limit meanwhile is given back as far as the limit allows.
 * The RETURN movement records what was given back, so the ledger still sums to the stock.
 */
async function giveBackStock(prisma: InventoryPrisma, event: Envelope<OrderCancelled>): Promise<void> {
  const { orderId } = event.data;
  await onceForEvent(prisma, event.id, orderCancelled.topic, async (tx) => {
    const effect = (await stockEffectRepository.lockAll(tx, [orderId])).get(orderId);
    if (effect === undefined) {
      await stockEffectRepository.saveAll(tx, [orderId], 'CANCELLED_FIRST');
      return;
    }
    if (effect !== 'APPLIED') return;
    const taken = await productRepository.movementsFor(tx, orderReference(orderId));
    const netByProduct = new Map<number, number>();
    for (const movement of taken)
      netByProduct.set(movement.productId, (netByProduct.get(movement.productId) ?? 0) + movement.quantityChange);
    const locked = new Map(
      (await productRepository.lockStock(tx, [...netByProduct.keys()])).map((row) => [row.id, row.stockQuantity]),
    );
    for (const [productId, net] of [...netByProduct].sort(([a], [b]) => a - b)) {
      const stock = locked.get(productId) ?? 0;
      const giveBack = Math.min(Math.max(-net, -stock), quantityLimits.maxStock - stock);
      if (giveBack === 0) continue;
      await changeStock(tx, {
        productId,
        quantityChange: giveBack,
        movementType: 'RETURN',
        referenceId: orderReference(orderId),
        notes: 'order cancelled',
      });
    }
    await stockEffectRepository.markReversed(tx, orderId);
  });
}
