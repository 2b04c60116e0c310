import { z } from 'zod';
import { OrderStatus, OrderType } from '../../__generated__/api-enums';
import { count, dateTime, decimal, listOf, responseSchema } from '../schemas';

const productSummary = responseSchema(
  'ProductSummary',
  z.strictObject({
    id: z.string(),
    name: z.string(),
  }),
  'A product as other resources refer to it; GET /api/inventory/products/{id} has the rest.',
);

const orderItem = responseSchema(
  'OrderItem',
  z.strictObject({
    product_id: z.string().meta({ description: 'The product ordered, known even when inventory does not know it.' }),
    product: productSummary
      .nullable()
      .meta({ description: 'Null when inventory does not know the product (such an order is rejected).' }),
    product_name: z.string().nullable().meta({ description: 'The label sent with the order, if any.' }),
    quantity: z.number().int().min(1),
    unit_price: decimal,
    subtotal: decimal,
  }),
  'One line of an order (GraphQL type OrderItem).',
);

const orderStatusChange = responseSchema(
  'OrderStatusChange',
  z.strictObject({
    from: z.enum(OrderStatus).nullable(),
    to: z.enum(OrderStatus),
    reason: z.string().nullable(),
    at: dateTime,
  }),
  "One step of an order's history.",
);

export const order = responseSchema(
  'Order',
  z.strictObject({
    id: z.string(),
    order_type: z.enum(OrderType),
    status: z
      .enum(OrderStatus)
      .meta({ description: 'PENDING until inventory confirms or rejects it, a moment after creation.' }),
    customer_name: z.string(),
    customer_email: z.string(),
    items: z.array(orderItem),
    total_amount: decimal,
    failure_reason: z.string().nullable(),
    history: z.array(orderStatusChange).meta({ description: 'Every status the order went through, oldest first.' }),
    created_at: dateTime,
    updated_at: dateTime,
  }),
  'An order (GraphQL type Order).',
);

export const orderList = listOf('OrderList', order, 'A page of orders, newest first.');

export const orderStats = responseSchema(
  'OrderStats',
  z.strictObject({
    total_orders: count,
    by_status: z.array(z.strictObject({ status: z.enum(OrderStatus), count })),
    by_type: z.array(z.strictObject({ order_type: z.enum(OrderType), count })),
    confirmed_sell_revenue: decimal,
    average_order_value: decimal,
    top_products: z.array(z.strictObject({ product: productSummary, quantity: count, revenue: decimal })),
  }),
  'Order figures (GraphQL type OrderStats).',
);
