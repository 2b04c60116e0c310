import { loadConfig } from '@io/config';
import { gatewayProtection, originAllowed } from '../src/protection';

test.each([
  [{}, false],
  [{ NODE_ENV: 'development' }, false],
  [{ NODE_ENV: 'development', GRAPHQL_STACKTRACES: 'true' }, true],
  [{ NODE_ENV: 'test', GRAPHQL_STACKTRACES: 'true' }, false],
  [{ NODE_ENV: 'production', GRAPHQL_STACKTRACES: 'true' }, false],
])('with %p stack traces in GraphQL errors are %p', (env, expected) => {
  expect(gatewayProtection(loadConfig(env)).stacktraces).toBe(expected);
});

test('production masks every internal error; the allow-list is read from ALLOWED_ORIGINS', () => {
  expect(gatewayProtection(loadConfig({ NODE_ENV: 'production' })).production).toBe(true);
  expect(gatewayProtection(loadConfig({})).production).toBe(false);
  expect(
    gatewayProtection(loadConfig({ ALLOWED_ORIGINS: ' https://a.example/, http://b.example:8080 ' })).allowedOrigins,
  ).toEqual(['https://a.example', 'http://b.example:8080']);
});

const request = { headers: { host: '127.0.0.1:4000' } };

test.each([
  [undefined, true],
  ['http://127.0.0.1:4000', true],
  ['https://127.0.0.1:4000/', true],
  ['https://ops.example.com', true],
  ['http://evil.example', false],
  ['http://127.0.0.1:4001', false],
  ['null', false],
  ['not a url', false],
])('a WebSocket from origin %p is allowed: %p', (origin, expected) => {
  expect(originAllowed(origin, request, ['https://ops.example.com'])).toBe(expected);
});
