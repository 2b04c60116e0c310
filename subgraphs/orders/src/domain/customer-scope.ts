import { forbidden, notFound } from '@io/graphql/errors';
import type { Order } from '../__generated__/prisma/client';
import type { OrderFilter } from '../data/orders';

/**
 * A customer (a token with an email claim, forwarded by the gateway) sees and acts on the orders of
 * their email only. Someone else's order looks exactly like a missing one (null, or NOT_FOUND), so
 * a customer cannot even learn that an order id exists. Operators and admins see every order.
 */
export interface Viewer {
  customerEmail?: string;
}

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function visibleTo<T extends Pick<Order, 'customerEmail'>>(viewer: Viewer, order: T | null): T | null {
  if (!order || viewer.customerEmail === undefined) return order;
  return sameEmail(order.customerEmail, viewer.customerEmail) ? order : null;
}

/** A list or count filter narrowed to the customer's own email (whatever email the filter asked for). */
export function filterFor(viewer: Viewer, filter: OrderFilter | null | undefined): OrderFilter | null | undefined {
  if (viewer.customerEmail === undefined) return filter;
  return { ...filter, customerEmail: viewer.customerEmail };
}

/** The customer's email on a new order comes from their token, not from the input. */
export function newOrderFor<T extends { customerEmail: string }>(viewer: Viewer, input: T): T {
  return viewer.customerEmail === undefined ? input : { ...input, customerEmail: viewer.customerEmail };
}

/** Fails unless the order exists and the viewer may act on it. */
export function requireVisible(viewer: Viewer, order: Order | null, id: string | number): Order {
  const visible = visibleTo(viewer, order);
  if (!visible) throw notFound('Order', id);
  return visible;
}

/** What only staff may do: figures over every customer's orders, status changes other than cancelling. */
export function refuseCustomers(viewer: Viewer, what: string): void {
  if (viewer.customerEmail !== undefined) throw forbidden(`customers may not ${what}`);
}
