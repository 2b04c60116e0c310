import DataLoader from 'dataloader';
import type { OrderItem, OrderStatusChange } from './__generated__/prisma/client';
import type { Identity } from '@io/auth/identity';
import type { Viewer } from './domain/customer-scope';
import type { OrderUseCases } from './domain/orders';
import type { OrderStatsUseCases } from './domain/stats';

interface ProductActivity {
  quantitySold: number;
  quantityPurchased: number;
  pendingOrderCount: number;
}

export interface Context {
  orders: OrderUseCases;
  stats: OrderStatsUseCases;
  /** Who asks, as the gateway vouched for it: a customer is limited to their own orders. */
  viewer: Viewer;
  /** Whose idempotency keys the request's are (the identity's subject; `anonymous` without one). */
  caller: string;
  /** Per request, one query per batch: the items, history and product activity of every entity in an operation. */
  itemsByOrder: DataLoader<number, OrderItem[]>;
  historyByOrder: DataLoader<number, OrderStatusChange[]>;
  activityByProduct: DataLoader<number, ProductActivity>;
}

function groupByOrder<T extends { orderId: number }>(ids: readonly number[], rows: T[]): T[][] {
  const groups = new Map<number, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) groups.get(row.orderId)?.push(row);
  return ids.map((id) => groups.get(id)!);
}

export function createContext(
  orders: OrderUseCases,
  stats: OrderStatsUseCases,
  identity: Identity | null = null,
): Context {
  return {
    orders,
    stats,
    viewer: identity?.customerEmail === undefined ? {} : { customerEmail: identity.customerEmail },
    caller: identity?.subject ?? 'anonymous',
    itemsByOrder: new DataLoader(async (ids) => groupByOrder(ids, await orders.itemsOf(ids))),
    historyByOrder: new DataLoader(async (ids) => groupByOrder(ids, await orders.historyOf(ids))),
    activityByProduct: new DataLoader(async (ids) => {
      const rows = new Map((await orders.productActivity(ids)).map((row) => [row.productId, row]));
      return ids.map((id) => {
        const row = rows.get(id);
        return {
          quantitySold: Number(row?.sold ?? 0),
          quantityPurchased: Number(row?.purchased ?? 0),
          pendingOrderCount: Number(row?.pending ?? 0),
        };
      });
    }),
  };
}
