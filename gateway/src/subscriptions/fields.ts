import {
  alertRaised,
  orderStatusChanged,
  stockChanged,
  type AlertRaised,
  type OrderStatusChanged,
  type StockChanged,
} from '@io/events/catalog';
import type { Identity } from '@io/auth/identity';
import type { Envelope, EventDefinition } from '@io/events/envelope';

/**
 * How each Subscription field of the supergraph is fed: which event it delivers, which arguments
 * filter it (checked before any resolution), the fields the event itself answers, and the entity
 * field the gateway fills through a federated query by the event's key.
 */
export interface SubscriptionField<T> {
  event: EventDefinition<T>;
  matches: (args: Record<string, unknown>, data: T) => boolean;
  /**
   * The event key (the catalog definition's `key`) of every event `matches` can accept with these
   * arguments, when there is one: the subscriber is woken only for that key's events.
   */
  eventKey?: (args: Record<string, unknown>) => string | undefined;
  /**
   * Whether this subscriber may receive the event at all, checked for every event before it is
   * resolved (absent: whoever may subscribe sees every event of the field).
   */
  visibleTo?: (identity: Identity, data: T) => boolean;
  /** The payload fields answered from the event alone. */
  local: (envelope: Envelope<T>) => Record<string, unknown>;
  /** The payload field holding the entity, and the root query field that fetches it by key. */
  entity: { field: string; queryField: string; key: (data: T) => string };
}

const optionalEquals = (wanted: unknown, actual: unknown) =>
  wanted === undefined || wanted === null || String(wanted) === String(actual);

const given = (value: unknown) => (value === undefined || value === null ? undefined : String(value));

const orderStatusChangedField: SubscriptionField<OrderStatusChanged> = {
  event: orderStatusChanged,
  matches: (args, data) => optionalEquals(args.orderId, data.orderId),
  eventKey: (args) => given(args.orderId),
  // A customer gets the events of their own orders only (an event without its customer, from before
  // events carried one, goes to staff only).
  visibleTo: (identity, data) =>
    identity.customerEmail === undefined ||
    data.customerEmail?.trim().toLowerCase() === identity.customerEmail.trim().toLowerCase(),
  local: ({ id, data }) => ({
    eventId: id,
    orderId: String(data.orderId),
    from: data.from,
    to: data.to,
    reason: data.reason,
    changedAt: data.changedAt,
  }),
  entity: { field: 'order', queryField: 'order', key: (data) => String(data.orderId) },
};

const stockChangedField: SubscriptionField<StockChanged> = {
  event: stockChanged,
  matches: (args, data) => optionalEquals(args.productId, data.productId),
  eventKey: (args) => given(args.productId),
  local: ({ id, occurredAt, data }) => ({
    eventId: id,
    occurredAt,
    productId: String(data.productId),
    quantityChange: data.quantityChange,
    stockQuantity: data.stockQuantity,
    movementType: data.movementType,
    referenceId: data.referenceId,
    stockVersion: data.stockVersion,
  }),
  entity: { field: 'product', queryField: 'product', key: (data) => String(data.productId) },
};

const alertRaisedField: SubscriptionField<AlertRaised> = {
  event: alertRaised,
  matches: (args, data) =>
    optionalEquals(args.severity, data.severity) && optionalEquals(args.alertType, data.alertType),
  local: ({ id, occurredAt, data }) => ({
    eventId: id,
    occurredAt,
    repeated: data.repeated ?? false,
    count: data.count ?? 1,
  }),
  entity: { field: 'alert', queryField: 'alert', key: (data) => String(data.alertId) },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fields of different event types
export const subscriptionFields: Record<string, SubscriptionField<any>> = {
  orderStatusChanged: orderStatusChangedField,
  stockChanged: stockChangedField,
  alertRaised: alertRaisedField,
};
