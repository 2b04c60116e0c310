import { ConfigError, loadConfig, subgraphUrl } from '@io/config';

test('defaults describe the local development setup', () => {
  const config = loadConfig({});

  expect(config).toMatchObject({
    DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/inventory_orders',
    KAFKA_BROKERS: '127.0.0.1:9092',
    GATEWAY_PORT: 4000,
    INVENTORY_PORT: 4001,
    ORDERS_PORT: 4002,
    MONITOR_PORT: 4003,
  });
  expect(subgraphUrl(config, 'orders')).toBe('http://127.0.0.1:4002/graphql');
});

test('a bad value stops start-up with one line naming the variable', () => {
  expect(() => loadConfig({ GATEWAY_PORT: 'eighty' })).toThrow(ConfigError);
  expect(() => loadConfig({ GATEWAY_PORT: '70000' })).toThrow(/^invalid configuration: GATEWAY_PORT: /);
  expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/^invalid configuration: DATABASE_URL: /);
});

test('explicit subgraph URLs win over the local ports', () => {
  expect(subgraphUrl(loadConfig({ INVENTORY_URL: 'http://inventory:4001/graphql' }), 'inventory')).toBe(
    'http://inventory:4001/graphql',
  );
});
