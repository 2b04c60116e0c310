import { ApolloGateway } from '@apollo/gateway';
import { parse, type GraphQLError, type GraphQLSchema } from 'graphql';
import { roleScopes, type Identity } from '@io/auth/identity';
import { accessRules, supergraphForPlanner, type AccessRules } from '../src/auth/access-rules';
import { Authorizer } from '../src/auth/authorize';
import { composeSupergraph } from '../src/supergraph';

let rules: AccessRules;
let schema: GraphQLSchema;
let gateway: ApolloGateway;

beforeAll(async () => {
  const supergraph = composeSupergraph();
  rules = accessRules(supergraph);
  gateway = new ApolloGateway({ supergraphSdl: supergraphForPlanner(supergraph) });
  ({ schema } = await gateway.load());
});

afterAll(() => gateway.stop());

const as = (role: keyof typeof roleScopes, extra: Partial<Identity> = {}): Identity => ({
  subject: role,
  scopes: roleScopes[role],
  ...extra,
});
const code = (error: GraphQLError | null) => error?.extensions.code ?? 'ALLOWED';

test('composition keeps the subgraphs’ @requiresScopes and @authenticated in the supergraph, where the gateway reads them', () => {
  const supergraph = composeSupergraph();
  expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
  expect(supergraph).toContain('@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)');
  expect(rules.get('Query.orders')).toEqual({ authenticated: false, scopes: [[['orders:read']]] });
  expect(rules.get('Mutation.acknowledgeAlert')).toEqual({ authenticated: false, scopes: [[['alerts:write']]] });
  expect(rules.get('Subscription.stockChanged')).toEqual({ authenticated: false, scopes: [[['inventory:read']]] });
  expect(rules.get('Product.quantitySold')).toEqual({ authenticated: false, scopes: [[['orders:read']]] });
  expect(rules.get('Order')).toEqual({ authenticated: true, scopes: [] });
  // The planner's copy is the same supergraph without the SECURITY purpose it would refuse.
  expect(supergraphForPlanner(supergraph)).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1")');
});

test('no identity is UNAUTHENTICATED, a missing scope FORBIDDEN naming the field and the scope', () => {
  const authorizer = new Authorizer(schema, rules);
  const document = parse('{ products { id name quantitySold } }');
  const anonymous = authorizer.check(document, undefined, undefined);
  expect(anonymous?.extensions).toMatchObject({
    code: 'UNAUTHENTICATED',
    fields: ['Query.products', 'Product.quantitySold'],
  });
  const inventoryOnly: Identity = { subject: 'x', scopes: ['inventory:read'] };
  const forbidden = authorizer.check(document, undefined, inventoryOnly);
  expect(forbidden?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Product.quantitySold'] });
  expect(forbidden?.message).toBe('not allowed: Product.quantitySold requires the scope orders:read');
  expect(code(authorizer.check(document, undefined, as('viewer')))).toBe('ALLOWED');
});

test('fields reached through fragments, nested fragments and inline fragments are checked; each fragment once', () => {
  const authorizer = new Authorizer(schema, rules);
  const document = parse(`
    query Hidden { products { ...A } }
    fragment A on Product { id ...B ...B }
    fragment B on Product { ... on Product { pendingOrderCount } }
  `);
  const denied = authorizer.check(document, 'Hidden', { subject: 'x', scopes: ['inventory:read'] });
  expect(denied?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: ['Product.pendingOrderCount'] });
});

test('a type-level @authenticated applies wherever the type is returned', () => {
  const authorizer = new Authorizer(schema, rules);
  const document = parse('subscription { orderStatusChanged { to order { id } } }');
  expect(authorizer.check(document, undefined, undefined)?.extensions.fields).toEqual([
    'Subscription.orderStatusChanged',
    'OrderStatusChangedEvent.order',
  ]);
  expect(code(authorizer.check(document, undefined, as('customer', { customerEmail: 'a@b.c' })))).toBe('ALLOWED');
});

test('only the operation that runs is checked, and the verdict depends on the identity’s scopes only', () => {
  const authorizer = new Authorizer(schema, rules);
  const document = parse('query Read { orders { id } } mutation Ack { acknowledgeAlert(id: "1") { id } }');
  expect(code(authorizer.check(document, 'Read', as('viewer')))).toBe('ALLOWED');
  expect(code(authorizer.check(document, 'Ack', as('viewer')))).toBe('FORBIDDEN');
  expect(code(authorizer.check(document, 'Ack', as('admin')))).toBe('ALLOWED');
  // Memoised by identity shape: a second viewer gets the same verdict object.
  expect(authorizer.check(document, 'Ack', { subject: 'other', scopes: [...roleScopes.viewer].reverse() })).toBe(
    authorizer.check(document, 'Ack', as('viewer')),
  );
  // A field no directive guards needs nothing.
  expect(code(authorizer.check(parse('{ __typename }'), undefined, undefined))).toBe('ALLOWED');
});

test('requiresScopes alternatives: any one set of scopes, all of its scopes', () => {
  const custom = accessRules(`
    extend schema @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
    type Query { secret: String @scopes(scopes: [["a", "b"], ["c"]]) }
  `);
  const authorizer = new Authorizer(schema, new Map([['Query.orderCount', custom.get('Query.secret')!]]));
  const document = parse('{ orderCount }');
  expect(code(authorizer.check(document, undefined, { subject: 'x', scopes: ['a'] }))).toBe('FORBIDDEN');
  expect(code(authorizer.check(document, undefined, { subject: 'x', scopes: ['a', 'b'] }))).toBe('ALLOWED');
  expect(code(authorizer.check(document, undefined, { subject: 'x', scopes: ['c'] }))).toBe('ALLOWED');
});

test('the FORBIDDEN message names only the scopes that are missing', () => {
  const authorizer = new Authorizer(schema, rules);
  const document = parse('mutation { cancelOrder(id: "1") { id status } }');
  const denied = authorizer.check(document, undefined, as('viewer'));
  expect(denied?.message).toBe('not allowed: Mutation.cancelOrder requires the scope orders:write');
});
