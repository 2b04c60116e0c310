import { authMode, hopSecret } from '@io/auth/mode';
import { ConfigError, loadConfig } from '@io/config';

const secret = 'x'.repeat(32);

test('without auth configuration on loopback outside production, auth is in development mode', () => {
  expect(authMode(loadConfig({ HOST: '127.0.0.1' })).kind).toBe('development');
  expect(authMode(loadConfig({ HOST: 'localhost' })).kind).toBe('development');
});

test('a configured key source is tokens mode, in every environment', () => {
  const mode = authMode(loadConfig({ AUTH_JWT_SECRET: secret, HOST: '0.0.0.0', NODE_ENV: 'production' }));
  expect(mode).toMatchObject({ kind: 'tokens', tokens: { secret, scopeClaim: 'scope', clockSkewSeconds: 30 } });
});

test('production without auth, or a non-loopback HOST without auth, refuses to start', () => {
  expect(() => authMode(loadConfig({ NODE_ENV: 'production' }))).toThrow(ConfigError);
  expect(() => authMode(loadConfig({ HOST: '0.0.0.0' }))).toThrow('HOST=0.0.0.0 is reachable from other machines');
});

test('the hop secret is required; production says so', () => {
  expect(hopSecret(loadConfig({ SUBGRAPH_HOP_SECRET: secret }))).toBe(secret);
  expect(() => hopSecret(loadConfig({ NODE_ENV: 'production' }))).toThrow(
    'NODE_ENV=production needs SUBGRAPH_HOP_SECRET',
  );
  expect(() => hopSecret(loadConfig({}))).toThrow(ConfigError);
});

test('configuration refuses two key sources, short secrets and bad flags, with one line naming the variable', () => {
  expect(() => loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWKS_FILE: '/tmp/jwks.json' })).toThrow(
    'set only one of AUTH_JWT_SECRET, AUTH_JWKS_URL and AUTH_JWKS_FILE',
  );
  expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow('AUTH_JWT_SECRET');
  expect(() => loadConfig({ SUBGRAPH_HOP_SECRET: 'short' })).toThrow('SUBGRAPH_HOP_SECRET');
  expect(() => loadConfig({ GRAPHQL_SANDBOX: 'yes' })).toThrow('GRAPHQL_SANDBOX');
  expect(loadConfig({ GRAPHQL_SANDBOX: 'false', GRAPHQL_INTROSPECTION: '1' })).toMatchObject({
    GRAPHQL_SANDBOX: false,
    GRAPHQL_INTROSPECTION: true,
  });
});
