import { loadConfig } from '@io/config';
import { healthUrl, serviceHealthUrl } from '@io/service/health-url';

test("a subgraph's health endpoint sits next to its /graphql path", () => {
  expect(healthUrl('http://127.0.0.1:4001/graphql')).toBe('http://127.0.0.1:4001/health');
  expect(healthUrl('http://inventory:4001/graphql/')).toBe('http://inventory:4001/health');
  expect(healthUrl('https://example.com/inventory/graphql?x=1')).toBe('https://example.com/inventory/health');
});

test("every registered service's health URL follows its configured URL, else its local port", () => {
  const config = loadConfig({
    ORDERS_URL: 'http://orders:4002/graphql',
    GATEWAY_URL: 'http://edge:8080/',
    INVENTORY_PORT: '5001',
  });
  expect(serviceHealthUrl(config, 'orders')).toBe('http://orders:4002/health');
  expect(serviceHealthUrl(config, 'inventory')).toBe('http://127.0.0.1:5001/health');
  expect(serviceHealthUrl(config, 'gateway')).toBe('http://edge:8080/health');
  expect(serviceHealthUrl(loadConfig({}), 'gateway')).toBe('http://127.0.0.1:4000/health');
});
