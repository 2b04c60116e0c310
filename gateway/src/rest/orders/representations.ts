import { z } from 'zod';
import { count, dateTime, decimal, listOf, responseSchema } from '../schemas';

export const orderTypes = ['BUY', 'SELL'] as const;
export const orderStatuses = ['PENDING', 'CONFIRMED', 'REJECTED', 'SHIPPED', 'COMPLETED', 'CANCELLED'] as const;

export const productSummary = responseSchema('ProductSummary', z.strictObject({
  id: z.string(),
  name: z.string(),
}), 'A product as other resources refer to it; GET /api/inventory/products/{id} has the rest.');

export const orderItem = responseSchema('OrderItem', z.strictObject({
  product_id: z.string().meta({ description: 'The product ordered, known even when inventory does not know it.' }),
  product: productSummary.nullable().meta({ description: 'Null when inventory does not know the product (such an order is rejected).' }),
  product_name: z.string().nullable().meta({ description: 'The label sent with the order, if any.' }),
  quantity: z.number().int().min(1),
  unit_price: decimal,
  subtotal: decimal,
}), 'One line of an order (GraphQL type OrderItem).');

export const orderStatusChange = responseSchema('OrderStatusChange', z.strictObject({
  from: z.enum(orderStatuses).nullable(),
  to: z.enum(orderStatuses),
  reason: z.string().nullable(),
  at: dateTime,
}), 'One step of an order\'s history.');

export const order = responseSchema('Order', z.strictObject({
  id: z.string(),
  order_type: z.enum(orderTypes),
  status: z.enum(orderStatuses).meta({ description: 'PENDING until inventory confirms or rejects it, a moment after creation.' }),
  customer_name: z.string(),
  customer_email: z.string(),
  items: z.array(orderItem),
  total_amount: decimal,
  failure_reason: z.string().nullable(),
  history: z.array(orderStatusChange).meta({ description: 'Every status the order went through, oldest first.' }),
  created_at: dateTime,
  updated_at: dateTime,
}), 'An order (GraphQL type Order).');

export const orderList = listOf('OrderList', order, 'A page of orders, newest first.');

export const orderStats = responseSchema('OrderStats', z.strictObject({
  total_orders: count,
  by_status: z.array(z.strictObject({ status: z.enum(orderStatuses), count })),
  by_type: z.array(z.strictObject({ order_type: z.enum(orderTypes), count })),
  confirmed_sell_revenue: decimal,
  average_order_value: decimal,
  top_products: z.array(z.strictObject({ product: productSummary, quantity: count, revenue: decimal })),
}), 'Order figures (GraphQL type OrderStats).');
