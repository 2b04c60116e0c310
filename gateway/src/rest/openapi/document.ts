import type { z } from 'zod';
import { errorStatuses, type Route } from '../route';
import { errorResponse, requestSchemas, responseSchemas } from '../schemas';
import { componentsOf, parameterSchema, refTo, type JsonSchema } from './json-schema';

const errorDescriptions: Record<number, string> = {
  400: 'Malformed JSON, or a bad path or query parameter (error.field names it)',
  401: 'No bearer token where one is needed, or a token that is not valid (UNAUTHENTICATED)',
  403: "The token's scopes do not allow this (FORBIDDEN; the message names the scope)",
  404: 'No such resource',
  409: "The change conflicts with the resource's state",
  413: 'The body is too large',
  415: 'The body is not application/json',
  422: 'A body field is invalid (error.field names it)',
  500: 'Unexpected server error',
  503: 'A service behind the gateway is unavailable',
};

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });

function parameters(schema: z.ZodObject | undefined, location: 'path' | 'query') {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => {
    const { description, ...fieldSchema } = parameterSchema(field as z.ZodType);
    const required = location === 'path' || !(field as z.ZodType).safeParse(undefined).success;
    return { name, in: location, required, ...(description ? { description } : {}), schema: fieldSchema };
  });
}

const idempotencyKeyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Your own unique string (a UUID, say): a retry with the same key and body answers what the first request did and changes nothing; the same key with another body is 409.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

function operation(route: Route) {
  const errorRef = refTo(responseSchemas, errorResponse);
  const errors = Object.fromEntries(
    errorStatuses(route).map((status) => [status, { description: errorDescriptions[status], content: json(errorRef) }]),
  );
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.service],
    ...(route.probeAs ? { security: [] } : {}),
    parameters: [
      ...parameters(route.params, 'path'),
      ...parameters(route.query, 'query'),
      ...(route.idempotent ? [idempotencyKeyHeader] : []),
    ],
    ...(route.body ? { requestBody: { required: true, content: json(refTo(requestSchemas, route.body)) } } : {}),
    responses: {
      [route.success.status]: {
        description: route.success.description,
        content: json(refTo(responseSchemas, route.success.schema)),
      },
      ...errors,
    },
  };
}

/** The OpenAPI 3.1 document of the shim, generated from the same route table that the router serves. */
export function buildOpenApiDocument(routes: readonly Route[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inventory and orders: REST compatibility API',
      version: '1.0.0',
      description:
        'The endpoints of the replaced system, each translated to one GraphQL operation on the federated ' +
        "gateway (/graphql). Bodies and responses use snake_case; enum values are GraphQL's (requests also accept " +
        'lowercase); lists answer {items, total, limit, offset}; errors answer {error: {code, message, field?}}.',
    },
    servers: [{ url: '/api' }],
    security: [{ bearer: [] }],
    tags: [
      { name: 'inventory', description: 'Products and stock' },
      { name: 'orders', description: 'Buy and sell orders' },
      { name: 'monitor', description: 'Health, Kafka and alerts' },
    ],
    paths,
    components: {
      schemas: { ...componentsOf(requestSchemas, 'input'), ...componentsOf(responseSchemas, 'output') },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT with the scopes the route needs (README, "Authentication"); optional in development mode.',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
