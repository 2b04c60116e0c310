import type { IncomingMessage } from 'node:http';
import type { Identity } from '@io/auth/identity';

/**
 * Whom a request is counted against: the subject of its verified token when it carries one, else
 * its caller's address (anonymous callers, and development mode's tokenless caller, which has no
 * expiry). The address is the TCP peer's: behind a reverse proxy every caller shares the proxy's.
 */
export function rateLimitKey(request: IncomingMessage, identity?: Identity): string {
  if (identity?.expiresAt !== undefined) return `sub:${identity.subject}`;
  return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
}
