import { z } from 'zod';
import { restErrorCodes } from './errors';

type Meta = { id: string; description?: string };

/** Named schemas of the OpenAPI document: requests are described as accepted, responses as sent. */
export const requestSchemas = z.registry<Meta>();
export const responseSchemas = z.registry<Meta>();

function named<S extends z.ZodType>(
  registry: z.core.$ZodRegistry<Meta>,
  id: string,
  schema: S,
  description?: string,
): S {
  registry.add(schema as z.ZodType, description === undefined ? { id } : { id, description });
  return schema;
}

export const requestSchema = <S extends z.ZodType>(id: string, schema: S, description?: string) =>
  named(requestSchemas, id, schema, description);
export const responseSchema = <S extends z.ZodType>(id: string, schema: S, description?: string) =>
  named(responseSchemas, id, schema, description);

/** The Decimal scalar as GraphQL serializes it: an exact amount in a string. */
export const decimal = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .meta({ description: 'An exact amount, e.g. "99.99".' });
export const dateTime = z.iso.datetime().meta({ description: 'ISO-8601 timestamp in UTC.' });
export const count = z.number().int().min(0);

/** A page of a list: the one shape every list endpoint answers. */
export const listOf = <S extends z.ZodType>(id: string, item: S, description: string) =>
  responseSchema(
    id,
    z.strictObject({
      items: z.array(item),
      total: count.meta({ description: 'How many items match, over all pages.' }),
      limit: count,
      offset: count,
    }),
    description,
  );

export const errorResponse = responseSchema(
  'Error',
  z.strictObject({
    error: z.strictObject({
      code: z.enum(restErrorCodes),
      message: z.string(),
      field: z.string().optional().meta({
        description: 'The request field at fault, as the client spelled it (snake_case, dotted for nested ones).',
      }),
    }),
  }),
  'Every error response.',
);
