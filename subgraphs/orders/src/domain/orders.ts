import { z } from 'zod';
import { orderCreated, orderStatusChanged } from '../../../../lib/events/catalog';
import { badInput, notFound } from '../../../../lib/graphql/errors';
import { parseId, validate } from '../../../../lib/graphql/validate';
import { appendEvent } from '../../../../lib/outbox/append';
import { Prisma, type Order, type OrderStatus } from '../__generated__/prisma/client';
import type { Tx } from '../data/transactions';
import { orderRepository } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';
import { inTransaction } from '../data/transactions';

const maxTotal = new Prisma.Decimal('999999999999.99');

const newOrderSchema = z.object({
  orderType: z.enum(['BUY', 'SELL']),
  customerName: z.string().trim().min(1, 'must not be empty').max(200),
  customerEmail: z.string().trim().max(320).pipe(z.email('must be an email address')),
  items: z.array(z.object({
    productId: z.union([z.string(), z.number()]),
    productName: z.string().trim().max(200).nullish(),
    quantity: z.number().int().min(1, 'must be at least 1').max(1_000_000),
    unitPrice: z.string().refine((price) => Number(price) >= 0, 'must not be negative'),
  })).min(1, 'an order needs at least one item').max(100),
});

/** Records a status change and announces it, inside the caller's transaction. */
export async function announceTransition(tx: Tx, order: Order, from: OrderStatus | null, reason: string | null): Promise<void> {
  await appendEvent(tx, orderStatusChanged, {
    orderId: order.id, from, to: order.status, reason, changedAt: order.updatedAt.toISOString(),
  });
}

export function orderUseCases(prisma: OrdersPrisma) {
  return {
    list: (limit: number) => orderRepository.list(prisma, Math.min(Math.max(limit, 0), 500)),
    findById: (id: string | number) => orderRepository.findById(prisma, parseId(id)),
    itemsOf: (ids: readonly number[]) => orderRepository.itemsOf(prisma, ids),
    historyOf: (ids: readonly number[]) => orderRepository.historyOf(prisma, ids),

    async getById(id: string | number): Promise<Order> {
      const order = await orderRepository.findById(prisma, parseId(id));
      if (!order) throw notFound('Order', id);
      return order;
    },

    /** Stores the order as PENDING with its order-created event; inventory decides the rest. */
    async create(input: unknown): Promise<Order> {
      const order = validate(newOrderSchema, input);
      const items = order.items.map((item, index) => ({
        productId: parseId(item.productId, `input.items.${index}.productId`),
        productName: item.productName ?? null,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
      }));
      const total = items.reduce((sum, item) => sum.plus(new Prisma.Decimal(item.unitPrice).times(item.quantity)), new Prisma.Decimal(0));
      if (total.greaterThan(maxTotal)) throw badInput('input.items', `input.items: order total exceeds ${maxTotal.toFixed(2)}`);
      return inTransaction(prisma, async (tx) => {
        const created = await orderRepository.create(tx, { ...order, items, totalAmount: total.toFixed(2) });
        await appendEvent(tx, orderCreated, {
          orderId: created.id,
          orderType: created.orderType,
          items: items.map(({ productId, quantity }) => ({ productId, quantity })),
        });
        await announceTransition(tx, created, null, null);
        return created;
      });
    },
  };
}

export type OrderUseCases = ReturnType<typeof orderUseCases>;
