import { z } from 'zod';
import { booleanParam, decimalInput, enumValue, idParam, limitParam, offsetParam } from '../params';
import { requestSchema } from '../schemas';
import { MovementType } from '../../__generated__/api-enums';

export const defaultProductLimit = 100;
export const defaultMovementLimit = 50;

export const productPath = z.strictObject({ id: idParam });

export const productListQuery = z.strictObject({
  search: z.string().optional().meta({ description: 'Case-insensitive match anywhere in the name.' }),
  low_stock: booleanParam
    .optional()
    .meta({ description: 'Only products at or below (true) or above (false) their minimum level.' }),
  limit: limitParam(defaultProductLimit),
  offset: offsetParam,
});

export const pageQuery = (fallback: number) => z.strictObject({ limit: limitParam(fallback), offset: offsetParam });

export const createProductBody = requestSchema(
  'CreateProductRequest',
  z.strictObject({
    name: z.string(),
    description: z.string().nullish(),
    price: decimalInput,
    stock_quantity: z.number().int().meta({ description: 'Initial stock; recorded as an INITIAL movement.' }),
    min_stock_level: z.number().int().nullish(),
  }),
  'A new product (GraphQL input CreateProductInput).',
);

export const updateProductBody = requestSchema(
  'UpdateProductRequest',
  z.strictObject({
    name: z.string().nullish(),
    description: z.string().nullish(),
    price: decimalInput.nullish(),
    min_stock_level: z.number().int().nullish(),
    stock_quantity: z
      .never({ error: 'stock changes go through POST /api/inventory/products/{id}/stock, which records the movement' })
      .optional()
      .meta({ description: 'Not accepted: use POST /api/inventory/products/{id}/stock.' }),
  }),
  'Only the fields given change (GraphQL input UpdateProductInput).',
);

export const adjustStockBody = requestSchema(
  'AdjustStockRequest',
  z.strictObject({
    quantity_change: z
      .number()
      .int()
      .meta({ description: 'Positive brings stock in, negative takes it out; never below zero.' }),
    movement_type: enumValue(MovementType)
      .optional()
      .meta({ description: "Default adjustment. Lowercase as in the replaced system, or GraphQL's uppercase." }),
    reference_id: z.string().nullish(),
    notes: z.string().nullish(),
  }),
  'A stock change (GraphQL input AdjustStockInput).',
);
