import type { IncomingMessage } from 'node:http';
import type { Config } from '@io/config';
import { operationLimits, type OperationLimits } from './limits';
import { rateLimits, type RateLimits } from './rate-limit/limiter';

/** Everything that protects the gateway from its callers, read from the configuration in one place. */
export interface GatewayProtection {
  operations: OperationLimits;
  rateLimits: RateLimits;
  /** Browser origins allowed besides the gateway's own (WebSocket upgrades and CORS). */
  allowedOrigins: readonly string[];
  /** Production: every internal error masked, whatever raised it. */
  production: boolean;
  /** Stack traces in GraphQL errors (development mode, when asked for). */
  stacktraces: boolean;
}

export function gatewayProtection(config: Config): GatewayProtection {
  return {
    operations: operationLimits(config),
    rateLimits: rateLimits(config),
    allowedOrigins: config.ALLOWED_ORIGINS,
    production: config.NODE_ENV === 'production',
    stacktraces: config.NODE_ENV === 'development' && config.GRAPHQL_STACKTRACES,
  };
}

/**
 * Whether a browser page at `origin` may talk to this server: same origin (scheme-less comparison
 * of host and port with the Host header) or listed. No Origin header means no browser: allowed.
 */
export function originAllowed(
  origin: string | undefined,
  request: Pick<IncomingMessage, 'headers'>,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  const normalized = origin.replace(/\/$/, '');
  if (allowed.includes(normalized)) return true;
  try {
    return new URL(normalized).host === request.headers.host;
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage are no origin we know
  }
}
