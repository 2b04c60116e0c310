import { inventoryRoutes } from './inventory/routes';
import { monitorRoutes } from './monitor/routes';
import { ordersRoutes } from './orders/routes';
import type { Route } from './route';

/** Every endpoint of the replaced system's API tables, below /api. */
export const restRoutes: readonly Route[] = [...inventoryRoutes, ...ordersRoutes, ...monitorRoutes];
