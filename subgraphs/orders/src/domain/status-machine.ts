import type { OrderStatus } from '../__generated__/prisma/client';

/**
 * The order status machine, the one place that says which change is allowed and who may make it.
 * CONFIRMED and REJECTED are inventory's verdict; operators move orders on from there or cancel.
 */
const byInventory: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  CONFIRMED: ['PENDING'],
  REJECTED: ['PENDING'],
};

const byOperator: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  SHIPPED: ['CONFIRMED'],
  COMPLETED: ['SHIPPED'],
  CANCELLED: ['PENDING', 'CONFIRMED'],
};

export type Actor = 'inventory' | 'operator';

/** The statuses an order may leave for `to`, when `actor` asks; empty when the actor may never set `to`. */
export function allowedSources(to: OrderStatus, actor: Actor): readonly OrderStatus[] {
  return (actor === 'inventory' ? byInventory : byOperator)[to] ?? [];
}
