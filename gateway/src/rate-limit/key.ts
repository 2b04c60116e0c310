import type { IncomingMessage } from 'node:http';

/**
 * Whom a request is counted against: its caller's address, for now. The auth work extends this to
 * the verified identity (a subject claim) when the request carries one, falling back to the address.
 * The address is the TCP peer's: behind a reverse proxy every caller shares the proxy's.
 */
export function rateLimitKey(request: IncomingMessage): string {
  return `ip:${request.socket.remoteAddress ?? 'unknown'}`;
}
