import { z } from 'zod';
import { MovementType } from '../../__generated__/api-enums';
import { count, dateTime, decimal, listOf, responseSchema } from '../schemas';

export const product = responseSchema(
  'Product',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    price: decimal,
    stock_quantity: count,
    min_stock_level: count,
    is_low_stock: z.boolean().meta({ description: 'True when stock_quantity is at or below min_stock_level.' }),
    stock_level: z.enum(['OK', 'LOW', 'OUT']),
    created_at: dateTime,
    updated_at: dateTime,
  }),
  'A product (GraphQL type Product).',
);

export const stockMovement = responseSchema(
  'StockMovement',
  z.strictObject({
    id: z.string(),
    product,
    quantity_change: z.number().int(),
    balance_after: count.meta({ description: "The product's stock right after this movement." }),
    movement_type: z.enum(MovementType),
    reference_id: z.string().nullable(),
    notes: z.string().nullable(),
    created_at: dateTime,
  }),
  "One change of a product's stock (GraphQL type StockMovement).",
);

export const productList = listOf('ProductList', product, 'A page of products, ordered by id.');
export const stockMovementList = listOf(
  'StockMovementList',
  stockMovement,
  "A page of a product's stock movements, newest first.",
);
