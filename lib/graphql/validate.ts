import type { z } from 'zod';
import { badInput } from './errors';

/** Parses input with a zod schema; the first problem becomes a BAD_USER_INPUT error naming the field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = 'input'): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [prefix, ...issue.path.map(String)].join('.');
  throw badInput(field, `${field}: ${issue.message}`);
}

/** A GraphQL ID that must name a row with an integer key. */
export function parseId(id: string | number, field = 'id'): number {
  const value = Number(id);
  if (!Number.isSafeInteger(value) || value <= 0 || value > 2_147_483_647)
    throw badInput(field, `${field}: not a valid id`);
  return value;
}
