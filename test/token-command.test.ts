import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { roleScopes } from '@io/auth/identity';
import { tokenVerifier } from '@io/auth/tokens';
import { fromProjectRoot, projectRoot } from '@io/project-root';

/** `npm run token`, as the README tells users to run it: its token is accepted by the gateway's own verifier. */
const secret = randomBytes(32).toString('base64url');
const tsx = fromProjectRoot('node_modules', '.bin', 'tsx');
const run = (args: string[], env: Record<string, string | undefined> = { AUTH_JWT_SECRET: secret }) =>
  spawnSync(tsx, ['scripts/token.ts', ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
const verify = tokenVerifier({ secret, clockSkewSeconds: 0, scopeClaim: 'scope', emailClaim: 'email' });

test('--role prints a token with that role’s scopes, signed with AUTH_JWT_SECRET', async () => {
  const token = execFileSync(tsx, ['scripts/token.ts', '--role', 'operator'], {
    cwd: projectRoot,
    env: { ...process.env, AUTH_JWT_SECRET: secret },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const identity = await verify(token);
  expect([...identity.scopes].sort()).toEqual([...roleScopes.operator].sort());
  expect(identity.customerEmail).toBeUndefined();
});

test('--email prints a customer’s token; bad arguments fail with a usage line', async () => {
  const customer = run(['--email', 'ana@example.com', '--expires-in', '120']);
  expect(customer.status).toBe(0);
  const identity = await verify(customer.stdout.trim());
  expect(identity).toMatchObject({ customerEmail: 'ana@example.com', scopes: roleScopes.customer });
  expect(identity.expiresAt! - Date.now()).toBeLessThanOrEqual(120_000);
  const unknown = run(['--role', 'root']);
  expect([unknown.status, unknown.stderr]).toEqual([1, expect.stringContaining('unknown role "root"')]);
  const keySet = run(['--role', 'viewer'], { AUTH_JWKS_URL: 'https://id.example/jwks.json' });
  expect([keySet.status, keySet.stderr]).toEqual([
    1,
    expect.stringContaining('tokens come from its identity provider'),
  ]);
});
