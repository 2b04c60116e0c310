import { groupCommit } from '@io/db/group-commit';
import { claimKey, eventId, recordResult, type IdempotentRequest } from '@io/db/idempotency';
import { orderCreated, orderStatusChanged } from '@io/events/catalog';
import { outboxEntry } from '@io/outbox/append';
import type { Order } from '../__generated__/prisma/client';
import { orderRepository, type NewOrder } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import { statusChangeEntry } from './status-events';

type EventIds = (type: string) => string | undefined;

/** The order-created and order-status-changed events of a new order. */
const newOrderEvents = (order: Order, items: NewOrder['items'], eventIds: EventIds) => [
  outboxEntry(
    orderCreated,
    {
      orderId: order.id,
      orderType: order.orderType,
      items: items.map(({ productId, quantity }) => ({ productId, quantity })),
    },
    eventIds(orderCreated.type),
  ),
  statusChangeEntry(order, null, null, eventIds(orderStatusChanged.type)),
];

/** Stores orders as PENDING with their order-created and order-status-changed events, in one statement. */
function storeOrders(prisma: OrdersPrisma, orders: readonly NewOrder[]): Promise<Order[]> {
  return orderRepository.createAll(prisma, orders, (created) =>
    created.flatMap((order, index) => newOrderEvents(order, orders[index].items, () => undefined)),
  );
}

/**
 * An order sent with an idempotency key, in a transaction of its own (not group-committed: the
 * key's claim may wait for a concurrent request with the same key). A retry returns the order the
 * first request stored; its events' ids derive from the key.
 */
export function storeOrderOnce(prisma: OrdersPrisma, order: NewOrder, request: IdempotentRequest): Promise<Order> {
  return inTransaction(prisma, async (tx) => {
    const earlier = await claimKey(tx, request);
    if (earlier !== null) return (await orderRepository.findById(tx, earlier))!;
    const [created] = await orderRepository.createAll(tx, [order], ([stored]) =>
      newOrderEvents(stored, order.items, (type) => eventId(request, type)),
    );
    await recordResult(tx, request, created.id);
    return created;
  });
}

/** New orders are stored by group commit: one transaction for all that arrive while one is in flight. */
export const orderIntake = (prisma: OrdersPrisma, maxBatchSize = 200) =>
  groupCommit((orders: readonly NewOrder[]) => storeOrders(prisma, orders), maxBatchSize);
