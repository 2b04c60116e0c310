import { groupCommit } from '@io/db/group-commit';
import { orderCreated } from '@io/events/catalog';
import { appendEvents, outboxEntry } from '@io/outbox/append';
import type { Order } from '../__generated__/prisma/client';
import { orderRepository, type NewOrder } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import { statusChangeEntry } from './status-events';

/** Stores orders as PENDING with their order-created and order-status-changed events, in one transaction. */
async function storeOrders(prisma: OrdersPrisma, orders: readonly NewOrder[]): Promise<Order[]> {
  return inTransaction(prisma, async (tx) => {
    const created = await orderRepository.createAll(tx, orders);
    await appendEvents(
      tx,
      created.flatMap((order, index) => [
        outboxEntry(orderCreated, {
          orderId: order.id,
          orderType: order.orderType,
          items: orders[index].items.map(({ productId, quantity }) => ({ productId, quantity })),
        }),
        statusChangeEntry(order, null, null),
      ]),
    );
    return created;
  });
}

/** New orders are stored by group commit: one transaction for all that arrive while one is in flight. */
export const orderIntake = (prisma: OrdersPrisma, maxBatchSize = 200) =>
  groupCommit((orders: readonly NewOrder[]) => storeOrders(prisma, orders), maxBatchSize);
