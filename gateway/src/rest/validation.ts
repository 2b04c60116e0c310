import type { z } from 'zod';
import { badRequest, invalidBody, type RestError } from './errors';

export type RequestPart = 'path' | 'query' | 'body';

const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (inner, key) =>
      inner !== null && typeof inner === 'object' ? (inner as Record<PropertyKey, unknown>)[key] : undefined,
    value,
  );

function describe(issue: z.core.$ZodIssue, value: unknown, part: RequestPart): { field: string; message: string } {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0]].join('.');
    return { field, message: `${field}: not a known ${part === 'body' ? 'field' : 'parameter'}` };
  }
  const field = path.length > 0 ? path.join('.') : part;
  const missing = path.length > 0 && valueAt(value, issue.path) === undefined && issue.code !== 'custom';
  return { field, message: `${field}: ${missing ? 'required' : issue.message}` };
}

/** A problem in the path or query string is a bad request (400); in a JSON body, unprocessable (422). */
function invalid(issue: z.core.$ZodIssue, value: unknown, part: RequestPart): RestError {
  const { field, message } = describe(issue, value, part);
  return part === 'body' ? invalidBody(field, message) : badRequest(field, message);
}

export function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: RequestPart): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalid(result.error.issues[0], value, part);
}
