import DataLoader from 'dataloader';
import type { OrderItem, OrderStatusChange } from './__generated__/prisma/client';
import type { OrderUseCases } from './domain/orders';

export interface Context {
  orders: OrderUseCases;
  /** Per request: the items (and history) of every order in one operation are fetched with one query. */
  itemsByOrder: DataLoader<number, OrderItem[]>;
  historyByOrder: DataLoader<number, OrderStatusChange[]>;
}

function groupBy<T extends { orderId: number }>(ids: readonly number[], rows: T[]): T[][] {
  return ids.map((id) => rows.filter((row) => row.orderId === id));
}

export function createContext(orders: OrderUseCases): Context {
  return {
    orders,
    itemsByOrder: new DataLoader(async (ids) => groupBy(ids, await orders.itemsOf(ids))),
    historyByOrder: new DataLoader(async (ids) => groupBy(ids, await orders.historyOf(ids))),
  };
}
