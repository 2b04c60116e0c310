import { z } from 'zod';
import { defineEvent, type EventDefinition } from './envelope';

/**
 * The event catalog: one definition per topic, shared by its producer and its consumers.
 * docs/events.md is generated from it (`npm run docs`; a test fails when the two differ).
 */
export const topics = {
  orderCreated: 'order-created',
  orderProcessed: 'order-processed',
  orderCancelled: 'order-cancelled',
  orderStatusChanged: 'order-status-changed',
  stockChanged: 'stock-changed',
  stockLevelChanged: 'stock-level-changed',
  alertRaised: 'alert-raised',
  deadLetters: 'dead-letters',
} as const;

const id = z.number().int().positive();
const orderType = z.enum(['BUY', 'SELL']);
const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'REJECTED', 'SHIPPED', 'COMPLETED', 'CANCELLED']);
const movementType = z.enum(['INITIAL', 'PURCHASE', 'SALE', 'ADJUSTMENT', 'RETURN']);
const stockLevel = z.enum(['OK', 'LOW', 'OUT']);
const alertType = z.enum(['LOW_STOCK', 'OUT_OF_STOCK', 'SERVICE_DOWN', 'ORDER_REJECTED', 'PROCESSING_ERROR']);
const alertSeverity = z.enum(['INFO', 'WARNING', 'CRITICAL']);

/**
 * The enums events share with the API, by the name of the GraphQL enum each must equal. Events are
 * the contract between services, so they carry their own copy; test/facts.test.ts holds every copy
 * (GraphQL, Prisma, events) to the same values.
 */
export const catalogEnums = {
  OrderType: orderType,
  OrderStatus: orderStatus,
  MovementType: movementType,
  StockLevel: stockLevel,
  AlertType: alertType,
  AlertSeverity: alertSeverity,
};

export const orderCreated = defineEvent({
  about: { summary: 'A new order, stored PENDING: inventory decides it.', key: 'order id', producer: 'orders' },
  topic: topics.orderCreated,
  type: 'OrderCreated',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({
    orderId: id,
    orderType,
    items: z.array(z.object({ productId: z.number().int(), quantity: z.number().int() })).min(1),
  }),
});

const rejectionCode = z.enum(['INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT', 'INVALID_QUANTITY', 'ORDER_CANCELLED']);

export const orderProcessed = defineEvent({
  about: {
    summary:
      "Inventory's verdict on an order: its stock was taken (SELL) or brought in (BUY), or nothing changed and why.",
    key: 'order id',
    producer: 'inventory',
  },
  topic: topics.orderProcessed,
  type: 'OrderProcessed',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({
    orderId: id,
    outcome: z.enum(['CONFIRMED', 'REJECTED']),
    rejection: z
      .object({ code: rejectionCode, message: z.string(), productId: z.number().int().optional() })
      .optional(),
  }),
});

export const orderCancelled = defineEvent({
  about: {
    summary: 'An order was cancelled: inventory gives back whatever stock it took or brought for it, once.',
    key: 'order id',
    producer: 'orders',
  },
  topic: topics.orderCancelled,
  type: 'OrderCancelled',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({ orderId: id, orderType, previousStatus: orderStatus }),
});

export const orderStatusChanged = defineEvent({
  about: {
    summary: 'An order moved from one status to another (from null: it was just created).',
    key: 'order id',
    producer: 'orders',
  },
  topic: topics.orderStatusChanged,
  type: 'OrderStatusChanged',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({
    orderId: id,
    from: orderStatus.nullable().describe('null for a new order'),
    to: orderStatus,
    reason: z.string().nullable(),
    changedAt: z.string().datetime({ offset: true }),
    customerEmail: z
      .string()
      .optional()
      .describe("the order's customer: the gateway delivers the event to that customer's subscriptions only"),
  }),
});

export const stockChanged = defineEvent({
  about: {
    summary: "A product's stock changed: one event per stock movement.",
    key: 'product id',
    producer: 'inventory',
  },
  topic: topics.stockChanged,
  type: 'StockChanged',
  version: 1,
  key: (data) => String(data.productId),
  schema: z.object({
    productId: id,
    quantityChange: z.number().int(),
    stockQuantity: z.number().int().nonnegative().describe('after the change'),
    minStockLevel: z.number().int().nonnegative(),
    movementType,
    referenceId: z.string().nullable(),
    stockVersion: z
      .number()
      .int()
      .nonnegative()
      .describe("grows with every change of the product's stock: lets consumers drop stale copies"),
  }),
});

/** A product's stock crossed its minimum level (or reached zero), down or back up. */
export const stockLevelChanged = defineEvent({
  about: {
    summary: "A product's stock crossed its minimum level (or zero), down or back up.",
    key: 'product id',
    producer: 'inventory',
  },
  topic: topics.stockLevelChanged,
  type: 'StockLevelChanged',
  version: 1,
  key: (data) => String(data.productId),
  schema: z.object({
    productId: id,
    productName: z.string(),
    previousLevel: stockLevel,
    level: stockLevel,
    stockQuantity: z.number().int().nonnegative(),
    minStockLevel: z.number().int().nonnegative(),
    stockVersion: z.number().int().nonnegative(),
  }),
});

export const alertRaised = defineEvent({
  about: {
    summary:
      'The monitor raised a new alert, or counted more sightings on an unresolved one (one event per consumed batch).',
    key: 'alert id',
    producer: 'monitor',
  },
  topic: topics.alertRaised,
  type: 'AlertRaised',
  version: 1,
  key: (data) => String(data.alertId),
  schema: z.object({
    alertId: id,
    alertType,
    severity: alertSeverity,
    source: z.string(),
    message: z.string(),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    raisedAt: z.string().datetime({ offset: true }),
    count: z.number().int().positive().optional().describe('sightings the alert groups (absent: 1)'),
    repeated: z
      .boolean()
      .optional()
      .describe('true: no new alert, an unresolved one counted more sightings (absent: false)'),
  }),
});

export const deadLetter = defineEvent({
  about: {
    summary:
      "A consumer set a message aside: it could not be read, or its handler kept failing for a reason of the message's own.",
    key: '`<topic>:<partition>`',
    producer: 'every consumer',
  },
  topic: topics.deadLetters,
  type: 'DeadLetter',
  version: 1,
  key: (data) => `${data.topic}:${data.partition}`,
  schema: z.object({
    consumerGroup: z.string(),
    topic: z.string(),
    partition: z.number().int(),
    offset: z.string(),
    key: z.string().nullable(),
    value: z.string().nullable().describe('the original message'),
    error: z.string(),
    attempts: z.number().int(),
  }),
});

export type OrderCreated = z.infer<typeof orderCreated.schema>;
export type OrderProcessed = z.infer<typeof orderProcessed.schema>;
export type OrderCancelled = z.infer<typeof orderCancelled.schema>;
export type StockLevelChanged = z.infer<typeof stockLevelChanged.schema>;
export type StockLevel = z.infer<typeof stockLevel>;
export type OrderStatusChanged = z.infer<typeof orderStatusChanged.schema>;
export type StockChanged = z.infer<typeof stockChanged.schema>;
export type AlertRaised = z.infer<typeof alertRaised.schema>;
export type DeadLetter = z.infer<typeof deadLetter.schema>;

/** Every event of the catalog, in the order of `topics`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- definitions of different payload types
export const catalogEvents: EventDefinition<any>[] = [
  orderCreated,
  orderProcessed,
  orderCancelled,
  orderStatusChanged,
  stockChanged,
  stockLevelChanged,
  alertRaised,
  deadLetter,
];
