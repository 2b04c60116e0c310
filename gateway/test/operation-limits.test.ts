import { composeServices } from '@apollo/composition';
import { getOperationAST, Kind, parse, type GraphQLSchema } from 'graphql';
import { loadConfig } from '@io/config';
import { subgraphNames } from '@io/registry';
import { operationLimits } from '../src/limits';
import { operationCost } from '../src/limits/cost';
import { operationGate } from '../src/limits/operation-gate';
import * as inventoryOperations from '../src/rest/inventory/operations';
import * as monitorOperations from '../src/rest/monitor/operations';
import * as ordersOperations from '../src/rest/orders/operations';
import { subgraphTypeDefs } from '../src/supergraph';

const schema: GraphQLSchema = (() => {
  const result = composeServices(
    subgraphNames.map((name) => ({ name, url: `http://${name}.invalid`, typeDefs: parse(subgraphTypeDefs(name)) })),
  );
  return result.schema!.toAPISchema().toGraphQLJSSchema();
})();
const limits = operationLimits(loadConfig({}));
const admit = operationGate(schema, limits);

const cost = (query: string, variables: Record<string, unknown> | 'pessimistic' = {}) => {
  const document = parse(query);
  return operationCost(schema, document, getOperationAST(document)!, variables);
};
const refusal = (query: string, variables: Record<string, unknown> = {}) => {
  const result = admit(query, variables, undefined);
  if ('document' in result) throw new Error('admitted');
  return result.map((error) => ({ code: error.extensions.code, limit: error.extensions.limit }));
};

const ordersBomb = 'orders(limit: 500) { items { product { name quantitySold } } }';
const chainedFragments = (count: number) =>
  `query { ...F0 } ${Array.from({ length: count }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`).join(' ')} fragment F${count} on Query { productCount }`;

describe('the cost of an operation', () => {
  test('counts a list field’s selection once per item its limit allows, and 10 for lists without one', () => {
    // orders 1 + 500 × (items 1 + 10 × (product 1 + name 1 + quantitySold 1))
    expect(cost(`{ ${ordersBomb} }`)).toBe(1 + 500 * (1 + 10 * 3));
    expect(cost('{ products(limit: 20) { id name } }')).toBe(1 + 20 * 2);
    // the SDL default (100) when no limit is given
    expect(cost('{ products { id } }')).toBe(1 + 100);
  });

  test('a limit given by a variable counts as a full page until the variables are known', () => {
    const query = 'query ($n: Int) { products(limit: $n) { id } }';
    expect(cost(query, 'pessimistic')).toBe(1 + 500);
    expect(cost(query, { n: 3 })).toBe(1 + 3);
  });

  test('a fragment spread many times is costed once and counted at every spread', () => {
    expect(cost(chainedFragments(3))).toBe(2 ** 3);
    expect(cost(chainedFragments(25))).toBe(2 ** 25);
  });
});

describe('the gate every WebSocket operation passes (the rules HTTP applies through Apollo)', () => {
  test('100 aliases of orders(limit: 500) are refused for their aliases; two of them for their cost', () => {
    const aliases = (count: number) =>
      `{ ${Array.from({ length: count }, (_, index) => `o${index}: ${ordersBomb}`).join(' ')} }`;
    expect(refusal(aliases(100))).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' }]);
    expect(refusal(aliases(7))).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }]);
  });

  test('1,000 aliases of productCount and 10,000 of __typename are refused before validation, by the token limit', () => {
    const many = (count: number, field: string) =>
      `{ ${Array.from({ length: count }, (_, index) => `a${index}: ${field}`).join(' ')} }`;
    expect(refusal(many(1000, 'productCount'))).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: undefined }]);
    expect(refusal(many(10_000, '__typename'))).toEqual([{ code: 'GRAPHQL_PARSE_FAILED', limit: undefined }]);
    expect(refusal(many(60, '__typename'))).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'aliases' }]);
  });

  test('25 chained fragment spreads are refused for their cost (2^25 productCounts)', () => {
    expect(refusal(chainedFragments(25))).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'cost' }]);
  });

  test('depth and directives have their own limits', () => {
    let deep = 'name';
    for (let level = 0; level < 7; level += 1) deep = `movements { product { ${deep} } }`;
    expect(refusal(`{ products { ${deep} } }`)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'depth' }]);
    const directives = Array.from({ length: 51 }, () => '... @include(if: true) { productCount }').join(' ');
    expect(refusal(`{ ${directives} }`)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'directives' }]);
  });

  test('a missing required variable is refused when the operation arrives, not when it runs', () => {
    expect(refusal('subscription ($id: ID!) { orderStatusChanged(orderId: $id) { eventId } }')).toEqual([
      { code: 'BAD_USER_INPUT', limit: undefined },
    ]);
  });

  test('every operation the REST shim and the dashboard send is within every limit, with a full page', () => {
    const documents = [inventoryOperations, monitorOperations, ordersOperations]
      .flatMap((module) => Object.values(module).map(String))
      .filter((text) => parse(text).definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION));
    const dashboard = [
      '{ dashboard { generatedAt openAlertCount services { service status responseTimeMs availability error } kafka { totalMessages deadLetters topics { topic messages throughputPerSecond } consumerGroups { groupId state lag } } openAlerts(limit: 20) { id alertType severity state message raisedAt } } }',
      '{ dashboard { orderStats { totalOrders confirmedSellRevenue averageOrderValue byStatus { status count } topProducts(limit: 5) { product { id name } quantity revenue } } } }',
    ];
    expect(documents.length).toBeGreaterThan(10);
    for (const query of [...documents, ...dashboard]) {
      const result = admit(query, { limit: 500 }, undefined);
      // Only the variables this test does not make up (an id, an input) may be missing.
      const refusals = 'document' in result ? [] : result.filter((error) => error.extensions.code !== 'BAD_USER_INPUT');
      expect(refusals.map((error) => error.message)).toEqual([]);
    }
  });
});
