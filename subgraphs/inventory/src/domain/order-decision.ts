import { orderProcessed, type OrderCreated, type OrderProcessed } from '@io/events/catalog';
import { quantityLimits } from '@io/domain/limits';
import { outboxEntry, type OutboxEntry } from '@io/outbox/append';
import type { StockEffectState } from '../__generated__/prisma/client';
import { stockChangeEvents, type ChangedProduct } from './stock';

type Rejection = NonNullable<OrderProcessed['rejection']>;

export const orderReference = (orderId: number) => `order:${orderId}`;

type Decision = { accepted: Map<number, number>; rejection?: never } | { rejection: Rejection; accepted?: never };

const { maxItemQuantity, maxStock } = quantityLimits;

/**
 * The rule of the saga's inventory step, given the current stock of the ordered products.
 * Lines for the same product count together: 2 + 3 units need 5 in stock. The orders service
 * validates quantities already; they are checked again here because an event is not an API call
 * (and a figure past the limits would fail the write in a loop, not decide the order). A BUY
 * that would bring a product's stock past the limit is rejected like a SELL without stock.
 */
export function decideOrder(
  orderType: 'BUY' | 'SELL',
  items: { productId: number; quantity: number }[],
  stock: ReadonlyMap<number, number>,
): Decision {
  const wanted = new Map<number, number>();
  for (const { productId, quantity } of items) {
    if (quantity <= 0 || quantity > maxItemQuantity)
      return {
        rejection: {
          code: 'INVALID_QUANTITY',
          message: `quantity for product ${productId} must be from 1 to ${maxItemQuantity}`,
          productId,
        },
      };
    wanted.set(productId, (wanted.get(productId) ?? 0) + quantity);
  }
  for (const [productId, quantity] of wanted) {
    const available = stock.get(productId);
    if (available === undefined)
      return { rejection: { code: 'UNKNOWN_PRODUCT', message: `product ${productId} does not exist`, productId } };
    if (orderType === 'SELL' && available < quantity) {
      return {
        rejection: {
          code: 'INSUFFICIENT_STOCK',
          message: `product ${productId}: ${quantity} wanted, ${available} in stock`,
          productId,
        },
      };
    }
    if (orderType === 'BUY' && available + quantity > maxStock) {
      return {
        rejection: {
          code: 'STOCK_LIMIT_EXCEEDED',
          message: `product ${productId}: ${quantity} more would pass the stock limit of ${maxStock} (${available} in stock)`,
          productId,
        },
      };
    }
  }
  return { accepted: new Map([...wanted].sort(([a], [b]) => a - b)) };
}

interface PlannedMovement {
  productId: number;
  quantityChange: number;
  movementType: 'SALE' | 'PURCHASE';
  referenceId: string;
  balanceAfter: number;
}

/** What a batch of orders does to the stock, ready to be written in a few statements. */
export interface OrdersPlan {
  /** Orders whose stock change is applied by this plan. */
  applied: number[];
  /** Stock movements, in the order they happen. */
  movements: PlannedMovement[];
  /** Final state of every product the plan changes. */
  products: ChangedProduct[];
  /** Outbox events, in the order a one-order-at-a-time run would have written them. */
  events: OutboxEntry[];
}

/**
 * Decides a batch of orders in their order against a running stock, exactly as if each were
 * processed alone after the one before it: a sell that an earlier order of the batch left short
 * is rejected. `effects` says what was already done for an order (a cancellation that came first
 * rejects it; an order already applied is skipped); `stock` holds the locked products.
 */
export function planOrders(
  orders: readonly OrderCreated[],
  effects: ReadonlyMap<number, StockEffectState>,
  stock: ReadonlyMap<number, ChangedProduct>,
): OrdersPlan {
  const running = new Map([...stock].map(([id, product]) => [id, { ...product }]));
  const done = new Map(effects);
  const plan: OrdersPlan = { applied: [], movements: [], products: [], events: [] };
  const changed = new Set<number>();
  for (const { orderId, orderType, items } of orders) {
    const effect = done.get(orderId);
    if (effect !== undefined) {
      if (effect === 'CANCELLED_FIRST') {
        const rejection = {
          code: 'ORDER_CANCELLED' as const,
          message: `order ${orderId} was cancelled before inventory processed it`,
        };
        plan.events.push(outboxEntry(orderProcessed, { orderId, outcome: 'REJECTED', rejection }));
      }
      continue;
    }
    const available = new Map(
      items.flatMap(({ productId }) => {
        const product = running.get(productId);
        return product ? [[productId, product.stockQuantity] as const] : [];
      }),
    );
    const decision = decideOrder(orderType, items, available);
    if (decision.rejection) {
      plan.events.push(outboxEntry(orderProcessed, { orderId, outcome: 'REJECTED', rejection: decision.rejection }));
      continue;
    }
    for (const [productId, quantity] of decision.accepted) {
      const product = running.get(productId)!;
      const quantityChange = orderType === 'SELL' ? -quantity : quantity;
      product.stockQuantity += quantityChange;
      product.stockVersion += 1;
      changed.add(productId);
      const movement = {
        productId,
        quantityChange,
        movementType: orderType === 'SELL' ? ('SALE' as const) : ('PURCHASE' as const),
        referenceId: orderReference(orderId),
        balanceAfter: product.stockQuantity,
      };
      plan.movements.push(movement);
      plan.events.push(...stockChangeEvents(product, movement));
    }
    done.set(orderId, 'APPLIED');
    plan.applied.push(orderId);
    plan.events.push(outboxEntry(orderProcessed, { orderId, outcome: 'CONFIRMED' }));
  }
  plan.products = [...changed].sort((a, b) => a - b).map((id) => running.get(id)!);
  return plan;
}
