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

/** Canonical decimal only: "0x10", "1e1", " 1 ", "1.0" and "01" are not ids (Number() would take them). */
const canonicalId = /^[1-9]\d{0,9}$/;

/** A GraphQL ID that must name a row with an integer key (PostgreSQL int4, positive). */
export function parseId(id: string | number, field = 'id'): number {
  const text = String(id);
  const value = Number(text);
  if (!canonicalId.test(text) || value > 2_147_483_647) throw badInput(field, `${field}: not a valid id`);
  return value;
}
