import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const target = 'draft-2020-12' as const;
const componentRef = (id: string) => `#/components/schemas/${id}`;

// The document sets the dialect, and a component is named by its place in it, not by its own $id.
function withoutDialect({ $schema: _dialect, $id: _id, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

/** A registry's schemas as OpenAPI components: requests as accepted (`input`), responses as sent (`output`). */
export function componentsOf(
  registry: z.core.$ZodRegistry<{ id: string }>,
  io: 'input' | 'output',
): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { target, io, uri: componentRef });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

/** A path or query parameter's schema, as the client writes it. */
export const parameterSchema = (schema: z.ZodType): JsonSchema =>
  withoutDialect(z.toJSONSchema(schema, { target, io: 'input' }) as JsonSchema);

export function refTo(registry: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodType): JsonSchema {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('a route body or response schema must be registered with an id');
  return { $ref: componentRef(id) };
}
