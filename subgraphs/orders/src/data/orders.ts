import type { Order, OrderItem, OrderStatus, OrderStatusChange, OrderType, Prisma } from '../__generated__/prisma/client';
import type { OrdersPrisma } from './prisma';

type Db = OrdersPrisma | Prisma.TransactionClient;

export interface NewOrder {
  orderType: OrderType;
  customerName: string;
  customerEmail: string;
  totalAmount: string;
  items: { productId: number; productName: string | null; quantity: number; unitPrice: string }[];
}

/** The only module that reads or writes orders, their items and their history. */
export const orderRepository = {
  create: (db: Prisma.TransactionClient, order: NewOrder): Promise<Order> =>
    db.order.create({
      data: {
        ...order,
        items: { create: order.items },
        history: { create: [{ fromStatus: null, toStatus: 'PENDING' }] },
      },
    }),

  findById: (db: Db, id: number): Promise<Order | null> => db.order.findUnique({ where: { id } }),

  list: (db: Db, limit: number): Promise<Order[]> => db.order.findMany({ orderBy: { id: 'desc' }, take: limit }),

  itemsOf: (db: Db, orderIds: readonly number[]): Promise<OrderItem[]> =>
    db.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } }),

  historyOf: (db: Db, orderIds: readonly number[]): Promise<OrderStatusChange[]> =>
    db.orderStatusChange.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } }),

  /**
   * Moves the order from one of `from` to `to` only if it is still there: a conditional update,
   * so two racing transitions cannot both win. Returns the updated order, or null if it lost.
   */
  transition: async (
    db: Prisma.TransactionClient, id: number, from: readonly OrderStatus[], to: OrderStatus,
    changes: { reason?: string | null; failureReason?: string | null; stockApplied?: boolean } = {},
  ): Promise<{ order: Order; from: OrderStatus } | null> => {
    const current = await db.order.findUnique({ where: { id }, select: { status: true } });
    if (!current || !from.includes(current.status)) return null;
    const { count } = await db.order.updateMany({
      where: { id, status: current.status },
      data: { status: to, failureReason: changes.failureReason, stockApplied: changes.stockApplied },
    });
    if (count === 0) return null;
    await db.orderStatusChange.create({ data: { orderId: id, fromStatus: current.status, toStatus: to, reason: changes.reason ?? null } });
    const order = await db.order.findUniqueOrThrow({ where: { id } });
    return { order, from: current.status };
  },
};
