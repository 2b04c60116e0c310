import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { composeSupergraph, subgraphTypeDefs } from '../src/supergraph';

test('the three subgraphs compose into one supergraph where Product joins inventory, monitor and orders', () => {
  const supergraph = composeSupergraph();

  expect(supergraph).toMatch(
    /type Product\s+@join__type\(graph: INVENTORY, key: "id"\)\s+@join__type\(graph: MONITOR, key: "id", resolvable: false\)\s+@join__type\(graph: ORDERS, key: "id"\)/,
  );
  expect(supergraph).toMatch(
    /type Subscription\s+@join__type\(graph: INVENTORY\)\s+@join__type\(graph: MONITOR\)\s+@join__type\(graph: ORDERS\)/,
  );
  expect(supergraph).toContain('createOrder');
  expect(supergraph).toContain('createProduct');
  expect(supergraph).toContain('alerts');
});

test('a subgraph change that breaks composition is caught here, not in production', () => {
  const broken = subgraphTypeDefs('orders').replace('type Query {', 'type Query {\n  products: [String!]!');
  const result = composeServices([
    { name: 'inventory', url: 'http://inventory.invalid', typeDefs: parse(subgraphTypeDefs('inventory')) },
    { name: 'orders', url: 'http://orders.invalid', typeDefs: parse(broken) },
  ]);
  expect(result.errors?.map((error) => error.message).join('\n')).toMatch(/Query\.products/);
});
