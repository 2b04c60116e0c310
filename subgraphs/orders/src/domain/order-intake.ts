import DataLoader from 'dataloader';
import { orderCreated } from '../../../../lib/events/catalog';
import { appendEvents, outboxEntry } from '../../../../lib/outbox/append';
import type { Order } from '../__generated__/prisma/client';
import { orderRepository, type NewOrder } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';
import { inTransaction } from '../data/transactions';
import { statusChangeEntry } from './status-events';

/** Stores orders as PENDING with their order-created and order-status-changed events, in one transaction. */
async function storeOrders(prisma: OrdersPrisma, orders: readonly NewOrder[]): Promise<Order[]> {
  return inTransaction(prisma, async (tx) => {
    const created = await orderRepository.createAll(tx, orders);
    await appendEvents(tx, created.flatMap((order, index) => [
      outboxEntry(orderCreated, {
        orderId: order.id,
        orderType: order.orderType,
        items: orders[index].items.map(({ productId, quantity }) => ({ productId, quantity })),
      }),
      statusChangeEntry(order, null, null),
    ]));
    return created;
  });
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Group commit for new orders: the orders that arrive while a commit is in flight are stored
 * together by the next one (one transaction, a few multi-row statements), so commits per order
 * fall as load rises while a lone order is committed at once. If a group fails, its orders are
 * stored one by one, so an order only ever fails for a reason of its own.
 * Built on DataLoader (no cache): its batch schedule waits for the commit in flight.
 */
export function orderIntake(prisma: OrdersPrisma, maxBatchSize = 200): (order: NewOrder) => Promise<Order> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<NewOrder, Order>((orders) => {
    const commit = storeOrders(prisma, orders).catch((error: unknown) => orders.length === 1
      ? [asError(error)]
      : Promise.all(orders.map((order) => storeOrders(prisma, [order]).then(([created]) => created, asError))));
    inFlight = commit;
    return commit;
  }, {
    cache: false,
    maxBatchSize,
    batchScheduleFn: (dispatch) => {
      void inFlight.then(() => setImmediate(dispatch));
    },
  });
  return (order) => loader.load(order);
}
