import { z } from 'zod';
import { defineEvent } from './envelope';

/**
 * The event catalog: one definition per topic, shared by its producer and its consumers.
 * docs/events.md describes each one for humans.
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

export type TopicName = (typeof topics)[keyof typeof topics];

const id = z.number().int().positive();
const orderType = z.enum(['BUY', 'SELL']);
const orderStatus = z.enum(['PENDING', 'CONFIRMED', 'REJECTED', 'SHIPPED', 'COMPLETED', 'CANCELLED']);

export const orderCreated = defineEvent({
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

export const rejectionCode = z.enum(['INSUFFICIENT_STOCK', 'UNKNOWN_PRODUCT', 'INVALID_QUANTITY', 'ORDER_CANCELLED']);

export const orderProcessed = defineEvent({
  topic: topics.orderProcessed,
  type: 'OrderProcessed',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({
    orderId: id,
    outcome: z.enum(['CONFIRMED', 'REJECTED']),
    rejection: z.object({ code: rejectionCode, message: z.string(), productId: z.number().int().optional() }).optional(),
  }),
});

/** An order was cancelled: inventory gives back whatever stock it took or brought for it, once. */
export const orderCancelled = defineEvent({
  topic: topics.orderCancelled,
  type: 'OrderCancelled',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({ orderId: id, orderType, previousStatus: orderStatus }),
});

export const orderStatusChanged = defineEvent({
  topic: topics.orderStatusChanged,
  type: 'OrderStatusChanged',
  version: 1,
  key: (data) => String(data.orderId),
  schema: z.object({
    orderId: id,
    from: orderStatus.nullable(),
    to: orderStatus,
    reason: z.string().nullable(),
    changedAt: z.string().datetime({ offset: true }),
  }),
});

export const stockChanged = defineEvent({
  topic: topics.stockChanged,
  type: 'StockChanged',
  version: 1,
  key: (data) => String(data.productId),
  schema: z.object({
    productId: id,
    quantityChange: z.number().int(),
    stockQuantity: z.number().int().nonnegative(),
    minStockLevel: z.number().int().nonnegative(),
    movementType: z.enum(['INITIAL', 'PURCHASE', 'SALE', 'ADJUSTMENT', 'RETURN']),
    referenceId: z.string().nullable(),
    /** Increases with every change of this product's stock: lets consumers drop stale copies. */
    stockVersion: z.number().int().nonnegative(),
  }),
});

export const stockLevel = z.enum(['OK', 'LOW', 'OUT']);

/** A product's stock crossed its minimum level (or reached zero), down or back up. */
export const stockLevelChanged = defineEvent({
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

/** The monitor raised an alert (deduplicated: a persisting condition raises one). */
export const alertRaised = defineEvent({
  topic: topics.alertRaised,
  type: 'AlertRaised',
  version: 1,
  key: (data) => String(data.alertId),
  schema: z.object({
    alertId: id,
    alertType: z.enum(['LOW_STOCK', 'OUT_OF_STOCK', 'SERVICE_DOWN', 'ORDER_REJECTED', 'PROCESSING_ERROR']),
    severity: z.enum(['INFO', 'WARNING', 'CRITICAL']),
    source: z.string(),
    message: z.string(),
    entityType: z.string().nullable(),
    entityId: z.string().nullable(),
    raisedAt: z.string().datetime({ offset: true }),
  }),
});

export const deadLetter = defineEvent({
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
    value: z.string().nullable(),
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
