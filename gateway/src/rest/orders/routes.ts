import { camelCaseKeys, snakeCaseKeys } from '../case';
import { notFound } from '../errors';
import { healthRoute } from '../health';
import { runOperation } from '../operation';
import { defineRoute } from '../route';
import * as operations from './operations';
import { order, orderList, orderStats } from './representations';
import {
  cancelQuery,
  createOrderBody,
  defaultOrderLimit,
  orderListQuery,
  orderPath,
  updateStatusBody,
} from './requests';

const service = 'orders';

export const ordersRoutes = [
  defineRoute({
    service,
    method: 'get',
    path: '/orders/orders',
    operationId: 'listOrders',
    summary: 'List orders, newest first, with filters',
    description: 'GraphQL: `orders(filter)` and `orderCount(filter)`.',
    query: orderListQuery,
    success: { status: 200, schema: orderList, description: 'A page of orders' },
    handle: async ({ query: { limit = defaultOrderLimit, offset = 0, ...filter } }, execute) => {
      const data = await runOperation(execute, operations.listOrders, { filter: camelCaseKeys(filter), limit, offset });
      return { items: snakeCaseKeys(data.orders), total: data.orderCount, limit, offset };
    },
  }),
  defineRoute({
    service,
    method: 'post',
    path: '/orders/orders',
    operationId: 'createOrder',
    summary: 'Create an order',
    description: 'GraphQL: `createOrder`. Answers PENDING; inventory confirms or rejects it a moment later.',
    body: createOrderBody,
    idempotent: true,
    success: { status: 201, schema: order, description: 'The order, PENDING' },
    handle: async ({ body, idempotencyKey }, execute) =>
      snakeCaseKeys(
        (await runOperation(execute, operations.createOrder, { input: camelCaseKeys(body), idempotencyKey }, 'body'))
          .createOrder,
      ),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/orders/orders/stats',
    operationId: 'getOrderStats',
    summary: 'Order statistics',
    description: 'GraphQL: `orderStats`.',
    success: { status: 200, schema: orderStats, description: 'The figures' },
    handle: async (_input, execute) =>
      snakeCaseKeys((await runOperation(execute, operations.getOrderStats, {})).orderStats),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/orders/orders/{id}',
    operationId: 'getOrder',
    summary: 'Get an order',
    description: 'GraphQL: `order(id)`.',
    params: orderPath,
    errors: [404],
    success: { status: 200, schema: order, description: 'The order' },
    handle: async ({ params: { id } }, execute) => {
      const data = await runOperation(execute, operations.getOrder, { id });
      if (!data.order) throw notFound(`Order ${id} not found`);
      return snakeCaseKeys(data.order);
    },
  }),
  defineRoute({
    service,
    method: 'put',
    path: '/orders/orders/{id}/status',
    operationId: 'updateOrderStatus',
    summary: "Change an order's status",
    description: 'GraphQL: `updateOrderStatus`. A change the status machine refuses answers 409.',
    params: orderPath,
    body: updateStatusBody,
    errors: [404, 409],
    success: { status: 200, schema: order, description: 'The order as updated' },
    handle: async ({ params: { id }, body }, execute) =>
      snakeCaseKeys(
        (await runOperation(execute, operations.updateOrderStatus, { id, ...body }, 'body')).updateOrderStatus,
      ),
  }),
  defineRoute({
    service,
    method: 'delete',
    path: '/orders/orders/{id}',
    operationId: 'cancelOrder',
    summary: 'Cancel an order',
    description:
      'GraphQL: `cancelOrder`. Only PENDING or CONFIRMED orders can be cancelled (409 otherwise); stock is given back.',
    params: orderPath,
    query: cancelQuery,
    errors: [404, 409],
    idempotent: true,
    success: { status: 200, schema: order, description: 'The order, CANCELLED' },
    handle: async ({ params: { id }, query: { reason }, idempotencyKey }, execute) =>
      snakeCaseKeys((await runOperation(execute, operations.cancelOrder, { id, reason, idempotencyKey })).cancelOrder),
  }),
  healthRoute(service, operations.health),
];
