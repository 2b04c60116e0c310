import { isIP } from 'node:net';
import { ConfigError, type Config } from '@io/config';
import { developmentKey } from './development-key';
import type { TokenSettings } from './tokens';

/**
 * How the gateway treats callers. `tokens`: every caller needs a valid token for anything the SDL
 * protects. `development`: nothing is configured and the gateway only listens on loopback, so a
 * caller without a token is the development caller (admin), and a token is still checked (with
 * the development key of `npm run token`), so customers' isolation can be tried locally.
 */
export interface AuthMode {
  kind: 'tokens' | 'development';
  tokens: TokenSettings;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

function tokenSettings(config: Config): Omit<TokenSettings, 'secret' | 'jwksUrl' | 'jwksFile'> {
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
    scopeClaim: config.AUTH_SCOPE_CLAIM,
    emailClaim: config.AUTH_EMAIL_CLAIM,
  };
}

const isConfigured = (config: Config) =>
  Boolean(config.AUTH_JWT_SECRET ?? config.AUTH_JWKS_URL ?? config.AUTH_JWKS_FILE);

/** Decides the mode, refusing to run open where that would be unsafe (production, a non-loopback HOST). */
export function authMode(config: Config): AuthMode {
  if (isConfigured(config)) {
    return {
      kind: 'tokens',
      tokens: {
        ...tokenSettings(config),
        secret: config.AUTH_JWT_SECRET,
        jwksUrl: config.AUTH_JWKS_URL,
        jwksFile: config.AUTH_JWKS_FILE,
      },
    };
  }
  if (config.NODE_ENV === 'production')
    throw new ConfigError('NODE_ENV=production needs AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_JWKS_FILE');
  if (!isLoopback(config.HOST))
    throw new ConfigError(
      `HOST=${config.HOST} is reachable from other machines: set AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_JWKS_FILE (development mode, without auth, listens on loopback only)`,
    );
  return { kind: 'development', tokens: { ...tokenSettings(config), secret: developmentKey() } };
}

/** The secret of the gateway→subgraph hop; production refuses to start without one configured. */
export function hopSecret(config: Config): string {
  if (config.SUBGRAPH_HOP_SECRET) return config.SUBGRAPH_HOP_SECRET;
  throw new ConfigError(
    config.NODE_ENV === 'production'
      ? 'NODE_ENV=production needs SUBGRAPH_HOP_SECRET (32+ characters, the same for the gateway and every subgraph)'
      : 'SUBGRAPH_HOP_SECRET is not set: start the system with `npm start` (which generates one per start) or set it',
  );
}
