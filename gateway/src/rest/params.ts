import { z } from 'zod';

/** Building blocks of path and query parameters (always strings on the wire) and of JSON bodies. */

const maxId = 2_147_483_647;

/** A resource id: the integer key the subgraphs use, up to PostgreSQL's int4. */
export const idParam = z
  .string()
  .regex(/^[1-9]\d{0,9}$/, 'must be a positive integer')
  .refine((id) => Number(id) <= maxId, `must be at most ${maxId}`)
  .meta({ description: 'A positive integer id.', examples: ['1'] });

export const limitParam = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'must be a non-negative integer')
    .transform(Number)
    .optional()
    .meta({ description: `Page size (default ${fallback}).` });

export const offsetParam = z
  .string()
  .regex(/^\d{1,9}$/, 'must be a non-negative integer')
  .transform(Number)
  .optional()
  .meta({ description: 'Items to skip (default 0).' });

export const booleanParam = z.enum(['true', 'false']).transform((value) => value === 'true');

/** An ISO-8601 date or date-time, passed on to the DateTime scalar. */
export const dateTimeParam = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * A GraphQL enum as the replaced system spelled it ("sell") or as GraphQL does ("SELL");
 * becomes the GraphQL value.
 */
export function enumValue<const E extends Record<string, string>>(values: E) {
  const spellings = [...Object.values(values).map((value) => value.toLowerCase()), ...Object.values(values)] as [
    string,
    ...string[],
  ];
  return z.enum(spellings).transform((value) => value.toUpperCase() as E[keyof E]);
}

/** A money amount as the Decimal scalar accepts it: a number or a string, with at most 2 decimals. */
export const decimalInput = z.union([z.number(), z.string()]).meta({
  description: 'A number or a numeric string with at most 2 decimals, e.g. 99.99 or "99.99".',
  examples: [99.99],
});

/** A product id in a body: numeric as in the replaced system, or a string of digits. */
export const idInput = z
  .union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/, 'must be a positive integer')])
  .transform(String);
