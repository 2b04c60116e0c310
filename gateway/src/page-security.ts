import type { Response } from 'express';

/**
 * Headers of the pages the gateway serves (the dashboard, GraphiQL): each loads nothing but its own
 * files and talks only to its own origin (HTTP and the WebSocket, which 'self' covers), so injected
 * markup could neither run a script nor send data elsewhere. `extra` adds a page's own directives.
 */
export function pageSecurityHeaders(...extra: string[]): (response: Response) => void {
  const contentSecurityPolicy = [
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    ...extra,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return (response) => {
    response.setHeader('Content-Security-Policy', contentSecurityPolicy);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
  };
}
