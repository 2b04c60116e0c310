import { healthUrl } from '../service/health-url';

test('a subgraph\'s health endpoint sits next to its /graphql path', () => {
  expect(healthUrl('http://127.0.0.1:4001/graphql')).toBe('http://127.0.0.1:4001/health');
  expect(healthUrl('http://inventory:4001/graphql/')).toBe('http://inventory:4001/health');
  expect(healthUrl('https://example.com/inventory/graphql?x=1')).toBe('https://example.com/inventory/health');
});
