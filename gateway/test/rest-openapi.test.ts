import { ApolloGateway } from '@apollo/gateway';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, validate } from 'graphql';
import * as inventoryOperations from '../src/rest/inventory/operations';
import * as monitorOperations from '../src/rest/monitor/operations';
import { buildOpenApiDocument } from '../src/rest/openapi/document';
import * as ordersOperations from '../src/rest/orders/operations';
import { restRoutes } from '../src/rest/routes';
import { supergraphForPlanner } from '../src/auth/access-rules';
import { composeSupergraph } from '../src/supergraph';

const document = buildOpenApiDocument(restRoutes);

test("the document describes exactly the endpoints of the replaced system's API tables", () => {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(operations.sort()).toEqual(
    [
      'GET /inventory/health',
      'GET /inventory/products',
      'GET /inventory/products/low-stock',
      'GET /inventory/products/{id}',
      'GET /inventory/products/{id}/movements',
      'POST /inventory/products',
      'POST /inventory/products/{id}/stock',
      'PUT /inventory/products/{id}',
      'DELETE /orders/orders/{id}',
      'GET /orders/health',
      'GET /orders/orders',
      'GET /orders/orders/stats',
      'GET /orders/orders/{id}',
      'POST /orders/orders',
      'PUT /orders/orders/{id}/status',
      'GET /monitor/alerts',
      'GET /monitor/dashboard',
      'GET /monitor/health',
      'GET /monitor/kafka/stats',
      'GET /monitor/services/health',
      'GET /monitor/services/{service}/health',
      'GET /monitor/services/{service}/history',
    ].sort(),
  );
  expect(document.openapi).toBe('3.1.0');
});

test('every schema of the document is valid JSON Schema 2020-12 and every reference resolves', () => {
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats(ajv);
  // Strict about every schema keyword; `components` is only where the document keeps them.
  ajv.addKeyword('components');
  ajv.addSchema({ components: document.components }, 'doc');
  for (const name of Object.keys(document.components.schemas))
    expect(() => ajv.getSchema(`doc#/components/schemas/${name}`)).not.toThrow();
  const refs = JSON.stringify(document.paths).match(/#\/components\/schemas\/\w+/g) ?? [];
  for (const ref of refs) expect(Object.keys(document.components.schemas)).toContain(ref.split('/').pop());
});

test('every operation has a unique id, and every route documents its success and error answers', () => {
  const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods)) as {
    operationId: string;
    responses: Record<string, unknown>;
  }[];
  expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
  for (const operation of operations)
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '500', '503']));
});

test('a body route documents 413, 415 and 422; a route with an id documents 404', () => {
  const createOrder = document.paths['/orders/orders'].post as { responses: Record<string, unknown> };
  // 409: an Idempotency-Key reused with another body.
  expect(Object.keys(createOrder.responses)).toEqual([
    '201',
    '400',
    '401',
    '403',
    '409',
    '413',
    '415',
    '422',
    '500',
    '503',
  ]);
  const adjustStock = document.paths['/inventory/products/{id}/stock'].post as { responses: Record<string, unknown> };
  expect(Object.keys(adjustStock.responses)).toEqual([
    '201',
    '400',
    '401',
    '403',
    '404',
    '409',
    '413',
    '415',
    '422',
    '500',
    '503',
  ]);
});

test('a route that needs a token documents 401 and 403; the open health probes document neither', () => {
  const health = document.paths['/orders/health'].get as { responses: Record<string, unknown>; security?: unknown };
  expect(Object.keys(health.responses)).toEqual(['200', '400', '500', '503']);
  expect(health.security).toEqual([]);
  expect(document.security).toEqual([{ bearer: [] }]);
});

test('every GraphQL operation the shim runs is valid against the composed supergraph', async () => {
  const gateway = new ApolloGateway({ supergraphSdl: supergraphForPlanner(composeSupergraph()) });
  const { schema } = await gateway.load();
  try {
    // Typed documents are String objects; the text the gateway runs is their toString(), fragments included.
    const operations = [
      ...Object.values(inventoryOperations),
      ...Object.values(ordersOperations),
      ...Object.values(monitorOperations),
    ]
      .map(String)
      .filter((text) => /^\s*(query|mutation) Rest/.test(text));
    expect(operations.length).toBe(21);
    for (const operation of operations) {
      const name = /(query|mutation) (\w+)/.exec(operation)![2];
      expect([name, validate(schema, parse(operation))]).toEqual([name, []]);
    }
  } finally {
    await gateway.stop();
  }
});
