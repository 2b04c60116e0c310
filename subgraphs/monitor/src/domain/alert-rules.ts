import type { DeadLetter, OrderProcessed, StockLevelChanged } from '@io/events/catalog';
import type { NewAlert } from '../data/alerts';

/** What a condition asks for: an alert to raise (once) and condition keys whose alerts are over. */
export interface AlertDecision {
  raise: NewAlert | null;
  resolve: string[];
}

const conditionKeys = {
  lowStock: (productId: number) => `low-stock:${productId}`,
  outOfStock: (productId: number) => `out-of-stock:${productId}`,
  orderRejected: (code: string, productId: number | undefined) => `order-rejected:${code}:${productId ?? 'none'}`,
  processingError: (consumerGroup: string, topic: string) => `processing-error:${consumerGroup}:${topic}`,
  serviceDown: (service: string) => `service-down:${service}`,
};

/** LOW raises LOW_STOCK and ends OUT_OF_STOCK, OUT the reverse, OK ends both. */
export function stockLevelRule(event: StockLevelChanged): AlertDecision {
  const { productId, productName, level, stockQuantity, minStockLevel } = event;
  const low = conditionKeys.lowStock(productId);
  const out = conditionKeys.outOfStock(productId);
  const product = { source: 'inventory', entityType: 'Product', entityId: String(productId) };
  switch (level) {
    case 'LOW':
      return {
        raise: {
          ...product,
          alertType: 'LOW_STOCK',
          severity: 'WARNING',
          conditionKey: low,
          message: `${productName} is low on stock: ${stockQuantity} left, minimum ${minStockLevel}`,
        },
        resolve: [out],
      };
    case 'OUT':
      return {
        raise: {
          ...product,
          alertType: 'OUT_OF_STOCK',
          severity: 'CRITICAL',
          conditionKey: out,
          message: `${productName} is out of stock`,
        },
        resolve: [low],
      };
    case 'OK':
      return { raise: null, resolve: [low, out] };
  }
}

const rejectionReasons: Record<string, string> = {
  INSUFFICIENT_STOCK: 'not enough stock',
  UNKNOWN_PRODUCT: 'unknown product',
  INVALID_QUANTITY: 'invalid quantity',
  ORDER_CANCELLED: 'cancelled before processing',
};

/**
 * Rejected orders are grouped by reason and product (a sold-out product rejects every order for
 * it: one problem, one alert, counting the orders). The message names the latest order.
 */
export function orderRejectedRule(event: OrderProcessed): AlertDecision {
  const { orderId, outcome, rejection } = event;
  if (outcome !== 'REJECTED') return { raise: null, resolve: [] };
  const code = rejection?.code ?? 'UNKNOWN';
  const productId = rejection?.productId;
  const about = productId === undefined ? '' : ` for product ${productId}`;
  // A code this table does not know yet reads as its words (STOCK_LIMIT_EXCEEDED: stock limit exceeded).
  const reason = rejectionReasons[code] ?? code.toLowerCase().replaceAll('_', ' ');
  return {
    raise: {
      alertType: 'ORDER_REJECTED',
      severity: 'WARNING',
      source: 'inventory',
      message:
        `orders rejected${about} (${reason}); latest: order ${orderId}: ${rejection?.message ?? 'no reason given'}`.slice(
          0,
          1000,
        ),
      entityType: productId === undefined ? null : 'Product',
      entityId: productId === undefined ? null : String(productId),
      conditionKey: conditionKeys.orderRejected(code, productId),
    },
    resolve: [],
  };
}

/**
 * One open alert per consumer group and topic: a stream of dead letters is one problem. Topic and
 * group names are shown without the environment's prefix.
 */
export function deadLetterRule(event: DeadLetter, prefix: string): AlertDecision {
  const strip = (name: string) => (prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name);
  const group = strip(event.consumerGroup);
  const topic = strip(event.topic);
  const why = event.attempts > 0 ? `failed ${event.attempts} times` : 'could not be read';
  return {
    raise: {
      alertType: 'PROCESSING_ERROR',
      severity: 'CRITICAL',
      source: group.replace(/-service$/, ''),
      message:
        `${group} dead-lettered a message of ${topic} (partition ${event.partition}, offset ${event.offset}) that ${why}: ${event.error}`.slice(
          0,
          1000,
        ),
      entityType: null,
      entityId: null,
      conditionKey: conditionKeys.processingError(group, topic),
    },
    resolve: [],
  };
}

/** A service that does not answer, or answers badly, is down until a probe finds it healthy. */
export function serviceHealthRule(service: string, healthy: boolean, error: string | null): AlertDecision {
  const key = conditionKeys.serviceDown(service);
  if (healthy) return { raise: null, resolve: [key] };
  return {
    raise: {
      alertType: 'SERVICE_DOWN',
      severity: 'CRITICAL',
      source: service,
      message: `${service} is down: ${error ?? 'no answer'}`.slice(0, 1000),
      entityType: null,
      entityId: null,
      conditionKey: key,
    },
    resolve: [],
  };
}
