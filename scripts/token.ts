import { parseArgs } from 'node:util';
import { developmentKey, developmentKeyPath } from '@io/auth/development-key';
import { roleScopes, type Role } from '@io/auth/identity';
import { mintToken } from '@io/auth/mint';
import { ConfigError, loadConfig } from '@io/config';

/**
 * `npm run token -- --role operator` or `npm run token -- --email ana@example.com`: prints a bearer
 * token for the gateway. Signed with AUTH_JWT_SECRET when it is set (the gateway's own key), else
 * with the development key the gateway uses in development mode (.auth/development-key).
 */
const usage = `usage: npm run token -- [--role viewer|operator|admin|customer] [--email <customer email>]
                        [--scopes "<scope> <scope>"] [--subject <sub>] [--expires-in <seconds>]`;

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      email: { type: 'string' },
      scopes: { type: 'string' },
      subject: { type: 'string' },
      'expires-in': { type: 'string', default: '3600' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const role = values.role as Role | undefined;
  if (role !== undefined && !(role in roleScopes)) throw new Error(`unknown role "${role}"\n${usage}`);
  if (role === 'customer' && !values.email) throw new Error(`a customer token needs --email\n${usage}`);
  const expiresIn = Number(values['expires-in']);
  if (!Number.isInteger(expiresIn) || expiresIn <= 0) throw new Error('--expires-in: a positive number of seconds');
  const config = loadConfig();
  if (config.AUTH_JWKS_URL || config.AUTH_JWKS_FILE)
    throw new Error('auth uses a key set (AUTH_JWKS_URL / AUTH_JWKS_FILE): tokens come from its identity provider');
  const secret = config.AUTH_JWT_SECRET ?? developmentKey();
  const token = await mintToken({
    secret,
    role,
    email: values.email,
    scopes: values.scopes?.split(/[\s,]+/).filter(Boolean),
    subject: values.subject,
    expiresIn,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    scopeClaim: config.AUTH_SCOPE_CLAIM,
    emailClaim: config.AUTH_EMAIL_CLAIM,
  });
  const signedWith = config.AUTH_JWT_SECRET ? 'AUTH_JWT_SECRET' : `the development key (${developmentKeyPath})`;
  console.error(`token for ${values.email ?? role ?? 'admin'}, signed with ${signedWith}, valid ${expiresIn} s:`);
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : (error as Error).message);
  process.exit(1);
});
