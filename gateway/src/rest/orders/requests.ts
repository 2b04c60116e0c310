import { z } from 'zod';
import { dateTimeParam, decimalInput, enumValue, idInput, idParam, limitParam, offsetParam } from '../params';
import { requestSchema } from '../schemas';
import { OrderStatus, OrderType } from '../../__generated__/api-enums';

export const defaultOrderLimit = 50;

export const orderPath = z.strictObject({ id: idParam });

export const orderListQuery = z.strictObject({
  status: enumValue(OrderStatus).optional(),
  order_type: enumValue(OrderType).optional(),
  customer_email: z.string().optional(),
  created_from: dateTimeParam.optional().meta({ description: 'Created at or after (ISO-8601 date or date-time).' }),
  created_to: dateTimeParam.optional().meta({ description: 'Created before (ISO-8601 date or date-time).' }),
  limit: limitParam(defaultOrderLimit),
  offset: offsetParam,
});

export const cancelQuery = z.strictObject({
  reason: z.string().optional().meta({ description: "Recorded in the order's history." }),
});

export const createOrderBody = requestSchema(
  'CreateOrderRequest',
  z.strictObject({
    order_type: enumValue(OrderType).meta({
      description: '"buy" brings stock in, "sell" takes it out (uppercase accepted too).',
    }),
    customer_name: z.string(),
    customer_email: z.string(),
    items: z.array(
      z.strictObject({
        product_id: idInput.meta({
          description: "The product's id, a number as in the replaced system or a string of digits.",
        }),
        product_name: z.string().nullish(),
        quantity: z.number().int(),
        unit_price: decimalInput,
      }),
    ),
  }),
  'A new order (GraphQL input CreateOrderInput); it is stored PENDING and inventory confirms or rejects it.',
);

export const updateStatusBody = requestSchema(
  'UpdateOrderStatusRequest',
  z.strictObject({
    status: enumValue(OrderStatus).meta({
      description: 'shipped, completed or cancelled; others are refused (lowercase or uppercase).',
    }),
    reason: z.string().nullish(),
  }),
  "An operator's status change (GraphQL mutation updateOrderStatus).",
);
