import {
  Prisma,
  type Order,
  type OrderItem,
  type OrderStatus,
  type OrderStatusChange,
  type OrderType,
} from '../__generated__/prisma/client';
import { likeLiteral } from '@io/db/like';
import { outboxInsert, type OutboxEntry } from '@io/outbox/append';
import type { OrdersPrisma } from './prisma';

type Db = OrdersPrisma | Prisma.TransactionClient;

export interface NewOrder {
  orderType: OrderType;
  customerName: string;
  customerEmail: string;
  totalAmount: string;
  items: { productId: number; productName: string | null; quantity: number; unitPrice: string }[];
}

export interface OrderFilter {
  status?: OrderStatus | null;
  orderType?: OrderType | null;
  customerEmail?: string | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
}

/** A status change asked for by an event: applies only while the order is in one of `from`. */
export interface OrderMove {
  id: number;
  from: readonly OrderStatus[];
  to: OrderStatus;
  reason: string | null;
  failureReason: string | null;
}

export interface MovedOrder {
  previous: OrderStatus;
  order: Pick<Order, 'id' | 'status' | 'createdAt' | 'updatedAt' | 'customerEmail'>;
}

/** Statuses in which inventory's stock effect stands. */
const effectiveStatuses: OrderStatus[] = ['CONFIRMED', 'SHIPPED', 'COMPLETED'];

function where(filter: OrderFilter): Prisma.OrderWhereInput {
  return {
    status: filter.status ?? undefined,
    orderType: filter.orderType ?? undefined,
    customerEmail: filter.customerEmail
      ? { equals: likeLiteral(filter.customerEmail), mode: 'insensitive' }
      : undefined,
    createdAt: { gte: filter.createdFrom ?? undefined, lt: filter.createdTo ?? undefined },
  };
}

/** The only module that reads or writes orders, their items and their history. */
export const orderRepository = {
  /**
   * Stores new PENDING orders with their items, their first history row and the events that
   * `announce` makes of them: ids are drawn first (so each order's items are tied to it without
   * relying on the order in which the database returns rows), then everything is written in one
   * statement (Prisma's raw SQL over arrays: one statement text for any count). That statement is
   * atomic on its own: outside a transaction it commits by itself, two round trips in all. Returns
   * the orders in the order given.
   */
  createAll: async (
    db: Db,
    orders: readonly NewOrder[],
    announce: (created: Order[]) => readonly OutboxEntry[],
  ): Promise<Order[]> => {
    const ids = (
      await db.$queryRaw<{ id: number }[]>`
      SELECT nextval(pg_get_serial_sequence('orders', 'id'))::int AS id FROM generate_series(1, ${orders.length}::int)`
    ).map((row) => row.id);
    // One instant for the order and its first history row, as the API shows them side by side.
    const now = new Date();
    const created: Order[] = orders.map(({ items: _items, ...order }, index) => ({
      ...order,
      id: ids[index],
      status: 'PENDING',
      totalAmount: new Prisma.Decimal(order.totalAmount),
      failureReason: null,
      createdAt: now,
      updatedAt: now,
    }));
    const items = orders.flatMap((order, index) => order.items.map((item) => ({ ...item, orderId: ids[index] })));
    await db.$executeRaw`
      WITH new_orders AS (
        INSERT INTO orders (id, order_type, status, customer_name, customer_email, total_amount, created_at, updated_at)
        SELECT id, order_type::order_type, 'PENDING', customer_name, customer_email, total_amount, ${now}, ${now}
        FROM unnest(${ids}::int[], ${orders.map((order) => order.orderType)}::text[], ${orders.map((order) => order.customerName)}::text[],
          ${orders.map((order) => order.customerEmail)}::text[], ${orders.map((order) => order.totalAmount)}::numeric[])
          AS o(id, order_type, customer_name, customer_email, total_amount)),
      new_items AS (
        INSERT INTO order_items (order_id, product_id, product_name, quantity, unit_price)
        SELECT order_id, product_id, product_name, quantity, unit_price FROM unnest(${items.map((item) => item.orderId)}::int[], ${items.map((item) => item.productId)}::int[],
          ${items.map((item) => item.productName)}::text[], ${items.map((item) => item.quantity)}::int[], ${items.map((item) => item.unitPrice)}::numeric[])
          WITH ORDINALITY AS i(order_id, product_id, product_name, quantity, unit_price, position)
        ORDER BY position),
      first_history AS (
        INSERT INTO order_status_changes (order_id, from_status, to_status, changed_at)
        SELECT id, NULL, 'PENDING', ${now} FROM unnest(${ids}::int[]) AS id)
      ${outboxInsert(announce(created))}`;
    return created;
  },

  findById: (db: Db, id: number): Promise<Order | null> => db.order.findUnique({ where: { id } }),

  list: (db: Db, filter: OrderFilter, limit: number, offset: number): Promise<Order[]> =>
    db.order.findMany({ where: where(filter), orderBy: { id: 'desc' }, take: limit, skip: offset }),

  count: (db: Db, filter: OrderFilter): Promise<number> => db.order.count({ where: where(filter) }),

  itemsOf: (db: Db, orderIds: readonly number[]): Promise<OrderItem[]> =>
    db.orderItem.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } }),

  historyOf: (db: Db, orderIds: readonly number[]): Promise<OrderStatusChange[]> =>
    db.orderStatusChange.findMany({ where: { orderId: { in: [...orderIds] } }, orderBy: { id: 'asc' } }),

  /**
   * Moves the order to `to` only if its status is still one of `from`: a conditional update, so
   * of two racing transitions exactly one wins. Returns the updated order and where it came from,
   * or null (with the current status) when it was not in one of `from`.
   */
  transition: async (
    db: Prisma.TransactionClient,
    id: number,
    from: readonly OrderStatus[],
    to: OrderStatus,
    changes: { reason?: string | null; failureReason?: string | null } = {},
  ): Promise<{ moved: { order: Order; from: OrderStatus } | null; current: OrderStatus | null }> => {
    const rows = await db.$queryRaw<{ status: OrderStatus }[]>`SELECT status FROM orders WHERE id = ${id} FOR UPDATE`;
    const current = rows[0]?.status ?? null;
    if (current === null || !from.includes(current)) return { moved: null, current };
    const order = await db.order.update({ where: { id }, data: { status: to, failureReason: changes.failureReason } });
    await db.orderStatusChange.create({
      data: { orderId: id, fromStatus: current, toStatus: to, reason: changes.reason ?? null },
    });
    return { moved: { order, from: current }, current: to };
  },

  /**
   * The batch form of `transition`, for moves that come from events: every order is locked once,
   * in id order; each move applies only if the order's status (after the moves before it) is one
   * of its `from`. The updates, the history rows and the events that `announce` makes of the moves
   * that applied are one statement: two round trips whatever the count, on the saga's path.
   * Returns the moves that applied, in order.
   */
  transitionAll: async <M extends OrderMove>(
    db: Prisma.TransactionClient,
    moves: readonly M[],
    announce: (moved: (M & MovedOrder)[]) => readonly OutboxEntry[],
  ): Promise<(M & MovedOrder)[]> => {
    if (moves.length === 0) return [];
    const ids = [...new Set(moves.map((move) => move.id))].sort((a, b) => a - b);
    const locked = await db.$queryRaw<Pick<Order, 'id' | 'status' | 'createdAt' | 'customerEmail'>[]>`
      SELECT id, status, created_at AS "createdAt", customer_email AS "customerEmail"
      FROM orders WHERE id = ANY(${ids}::int[]) ORDER BY id FOR UPDATE`;
    const orders = new Map(locked.map((row) => [row.id, row]));
    const status = new Map(locked.map((row) => [row.id, row.status]));
    const now = new Date();
    const applied: (M & MovedOrder)[] = [];
    const final = new Map<number, M>();
    for (const move of moves) {
      const current = status.get(move.id);
      if (current === undefined || !move.from.includes(current)) continue;
      const { createdAt, customerEmail } = orders.get(move.id)!;
      applied.push({
        ...move,
        previous: current,
        order: { id: move.id, status: move.to, createdAt, updatedAt: now, customerEmail },
      });
      status.set(move.id, move.to);
      final.set(move.id, move);
    }
    if (applied.length === 0) return [];
    await db.$executeRaw`
      WITH moved AS (
        UPDATE orders AS o SET status = v.status::order_status, failure_reason = v.failure_reason, updated_at = ${now}
        FROM unnest(${[...final.keys()]}::int[], ${[...final.values()].map((move) => move.to)}::text[], ${[...final.values()].map((move) => move.failureReason)}::text[])
          AS v(id, status, failure_reason)
        WHERE o.id = v.id),
      history AS (
        INSERT INTO order_status_changes (order_id, from_status, to_status, reason, changed_at)
        SELECT order_id, from_status::order_status, to_status::order_status, reason, ${now}
        FROM unnest(${applied.map((move) => move.id)}::int[], ${applied.map((move) => move.previous)}::text[], ${applied.map((move) => move.to)}::text[],
          ${applied.map((move) => move.reason)}::text[]) WITH ORDINALITY AS c(order_id, from_status, to_status, reason, position)
        ORDER BY position)
      ${outboxInsert(announce(applied))}`;
    return applied;
  },

  countsByStatus: (db: Db) => db.order.groupBy({ by: ['status'], _count: { _all: true }, orderBy: { status: 'asc' } }),

  countsByType: (db: Db) =>
    db.order.groupBy({ by: ['orderType'], _count: { _all: true }, orderBy: { orderType: 'asc' } }),

  confirmedSells: (db: Db) =>
    db.order.aggregate({
      where: { orderType: 'SELL', status: { in: effectiveStatuses } },
      _sum: { totalAmount: true },
      _count: { _all: true },
    }),

  topSoldProducts: (db: Db, limit: number) =>
    db.$queryRaw<{ productId: number; quantity: bigint; revenue: Prisma.Decimal }[]>`
      SELECT i.product_id AS "productId", SUM(i.quantity) AS quantity, SUM(i.quantity * i.unit_price) AS revenue
      FROM order_items i JOIN orders o ON o.id = i.order_id
      WHERE o.order_type = 'SELL' AND o.status IN ('CONFIRMED', 'SHIPPED', 'COMPLETED')
      GROUP BY i.product_id ORDER BY quantity DESC, i.product_id ASC LIMIT ${limit}`,

  /**
   * Per minute of the last `minutes` (the current one included): orders created, orders decided
   * (PENDING → an outcome) by outcome, and the created → decided latency's p50 and p99 of those.
   */
  timeline: (db: Db, minutes: number) =>
    db.$queryRaw<
      {
        minute: Date;
        created: number;
        confirmed: number;
        rejected: number;
        cancelled: number;
        p50: number | null;
        p99: number | null;
      }[]
    >`
      WITH bounds AS (SELECT date_trunc('minute', now()) - make_interval(mins => ${minutes - 1}) AS since),
      minutes AS (
        SELECT generate_series(since, date_trunc('minute', now()), interval '1 minute') AS minute FROM bounds
      ),
      created AS (
        SELECT date_trunc('minute', created_at) AS minute, count(*)::int AS n
        FROM orders, bounds WHERE created_at >= since GROUP BY 1
      ),
      decided AS (
        SELECT date_trunc('minute', c.changed_at) AS minute, c.to_status AS outcome,
          EXTRACT(EPOCH FROM c.changed_at - o.created_at) * 1000 AS latency_ms
        FROM order_status_changes c JOIN orders o ON o.id = c.order_id, bounds
        WHERE c.from_status = 'PENDING' AND c.changed_at >= since
      )
      SELECT m.minute, COALESCE(max(cr.n), 0)::int AS created,
        (count(*) FILTER (WHERE d.outcome = 'CONFIRMED'))::int AS confirmed,
        (count(*) FILTER (WHERE d.outcome = 'REJECTED'))::int AS rejected,
        (count(*) FILTER (WHERE d.outcome = 'CANCELLED'))::int AS cancelled,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY d.latency_ms) AS p50,
        percentile_cont(0.99) WITHIN GROUP (ORDER BY d.latency_ms) AS p99
      FROM minutes m LEFT JOIN created cr ON cr.minute = m.minute LEFT JOIN decided d ON d.minute = m.minute
      GROUP BY m.minute ORDER BY m.minute`,

  /** Per product: units in effective SELL and BUY orders and the number of PENDING orders; one query for the batch. */
  productActivity: (db: Db, productIds: readonly number[]) =>
    db.$queryRaw<{ productId: number; sold: bigint; purchased: bigint; pending: bigint }[]>`
      SELECT i.product_id AS "productId",
        COALESCE(SUM(i.quantity) FILTER (WHERE o.order_type = 'SELL' AND o.status IN ('CONFIRMED', 'SHIPPED', 'COMPLETED')), 0) AS sold,
        COALESCE(SUM(i.quantity) FILTER (WHERE o.order_type = 'BUY' AND o.status IN ('CONFIRMED', 'SHIPPED', 'COMPLETED')), 0) AS purchased,
        COUNT(DISTINCT o.id) FILTER (WHERE o.status = 'PENDING') AS pending
      FROM order_items i JOIN orders o ON o.id = i.order_id
      WHERE i.product_id = ANY(${[...productIds]}::int[])
      GROUP BY i.product_id`,
};
