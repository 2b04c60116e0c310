import { z } from 'zod';
import { orderCancelled } from '@io/events/catalog';
import { badInput, conflict, notFound } from '@io/graphql/errors';
import { parseId, validate } from '@io/graphql/validate';
import { appendEvents, outboxEntry } from '@io/outbox/append';
import { page } from '@io/graphql/paging';
import { Prisma, type Order, type OrderStatus } from '../__generated__/prisma/client';
import { orderRepository, type OrderFilter } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';
import { inTransaction } from '@io/db/slice';
import { quantityLimits } from '@io/domain/limits';
import { claimKey, eventId, recordResult, type IdempotentRequest } from '@io/db/idempotency';
import { orderIntake, storeOrderOnce } from './order-intake';
import { allowedSources } from './status-machine';
import { announceTransition } from './status-events';

const maxTotal = new Prisma.Decimal('999999999999.99');

const newOrderSchema = z.object({
  orderType: z.enum(['BUY', 'SELL']),
  customerName: z.string().trim().min(1, 'must not be empty').max(200),
  customerEmail: z.string().trim().max(320).pipe(z.email('must be an email address')),
  items: z
    .array(
      z.object({
        productId: z.union([z.string(), z.number()]),
        productName: z.string().trim().max(200).nullish(),
        quantity: z
          .number()
          .int()
          .min(1, 'must be at least 1')
          .max(quantityLimits.maxItemQuantity, `must be at most ${quantityLimits.maxItemQuantity}`),
        unitPrice: z.string().refine((price) => Number(price) >= 0, 'must not be negative'),
      }),
    )
    .min(1, 'an order needs at least one item')
    .max(100),
});

const filterSchema = z
  .object({
    status: z.string().nullish(),
    orderType: z.string().nullish(),
    customerEmail: z.string().max(320).nullish(),
    createdFrom: z.date().nullish(),
    createdTo: z.date().nullish(),
  })
  .nullish()
  .transform((filter) => (filter ?? {}) as OrderFilter);

const reasonSchema = z
  .string()
  .trim()
  .max(500)
  .nullish()
  .transform((reason) => reason || null);

export function orderUseCases(prisma: OrdersPrisma) {
  const intake = orderIntake(prisma);

  /** An operator's transition, checked by the status machine and applied as a conditional update. */
  async function moveByOperator(
    id: string | number,
    to: OrderStatus,
    reasonInput: unknown,
    request: IdempotentRequest | null = null,
  ): Promise<Order> {
    const orderId = parseId(id);
    const reason = validate(reasonSchema, reasonInput, 'reason');
    const from = allowedSources(to, 'operator');
    if (from.length === 0) {
      throw badInput(
        'status',
        `status: ${to} cannot be set by hand; operators move orders to SHIPPED, COMPLETED or CANCELLED`,
      );
    }
    return inTransaction(prisma, async (tx) => {
      const earlier = request && (await claimKey(tx, request));
      if (earlier) return (await orderRepository.findById(tx, earlier))!;
      const { moved, current } = await orderRepository.transition(tx, orderId, from, to, { reason });
      if (current === null) throw notFound('Order', id);
      if (!moved) throw conflict(`order ${orderId} is ${current}; it cannot become ${to}`, { currentStatus: current });
      await announceTransition(tx, moved.order, moved.from, reason);
      if (to === 'CANCELLED') {
        await appendEvents(tx, [
          outboxEntry(
            orderCancelled,
            { orderId, orderType: moved.order.orderType, previousStatus: moved.from },
            request ? eventId(request, orderCancelled.type) : undefined,
          ),
        ]);
      }
      if (request) await recordResult(tx, request, orderId);
      return moved.order;
    });
  }

  return {
    findById: (id: string | number) => orderRepository.findById(prisma, parseId(id)),
    list: (filter: unknown, limit?: number | null, offset?: number | null) => {
      const paging = page(limit, offset, 50, 500);
      return orderRepository.list(prisma, validate(filterSchema, filter, 'filter'), paging.limit, paging.offset);
    },
    count: (filter: unknown) => orderRepository.count(prisma, validate(filterSchema, filter, 'filter')),
    itemsOf: (ids: readonly number[]) => orderRepository.itemsOf(prisma, ids),
    historyOf: (ids: readonly number[]) => orderRepository.historyOf(prisma, ids),
    productActivity: (ids: readonly number[]) => orderRepository.productActivity(prisma, ids),

    /** Stores the order as PENDING with its order-created event; inventory decides the rest. */
    async create(input: unknown, request: IdempotentRequest | null = null): Promise<Order> {
      const order = validate(newOrderSchema, input);
      const items = order.items.map((item, index) => ({
        productId: parseId(item.productId, `input.items.${index}.productId`),
        productName: item.productName || null,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
      }));
      const total = items.reduce(
        (sum, item) => sum.plus(new Prisma.Decimal(item.unitPrice).times(item.quantity)),
        new Prisma.Decimal(0),
      );
      if (total.greaterThan(maxTotal))
        throw badInput('input.items', `input.items: order total exceeds ${maxTotal.toFixed(2)}`);
      const newOrder = { ...order, items, totalAmount: total.toFixed(2) };
      return request ? storeOrderOnce(prisma, newOrder, request) : intake(newOrder);
    },

    updateStatus: (id: string | number, status: OrderStatus, reason: unknown) => moveByOperator(id, status, reason),
    cancel: (id: string | number, reason: unknown, request: IdempotentRequest | null = null) =>
      moveByOperator(id, 'CANCELLED', reason, request),
  };
}

export type OrderUseCases = ReturnType<typeof orderUseCases>;
