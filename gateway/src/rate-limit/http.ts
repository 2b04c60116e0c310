import type { Request, RequestHandler } from 'express';
import type { Identity } from '@io/auth/identity';
import type { RateLimiter } from './limiter';
import { rateLimitKey } from './key';

export const rateLimitedMessage = (retryAfter: number) => `too many requests; retry after ${retryAfter} s`;

/**
 * Counts every request against its caller (and, when `isMutation` says so, against the stricter
 * mutation budget too) and answers 429 with Retry-After and `body` past the budget.
 */
export function rateLimitMiddleware(
  limiter: RateLimiter,
  options: { isMutation: (request: Request) => boolean; body: (retryAfter: number) => unknown },
): RequestHandler {
  return async (request, response, next) => {
    // After authenticateRequests: a verified caller has a budget of its own, whatever its address.
    const key = rateLimitKey(request, response.locals.identity as Identity | undefined);
    const retryAfter =
      (await limiter(key, 'request')) ?? (options.isMutation(request) ? await limiter(key, 'mutation') : undefined);
    if (retryAfter === undefined) {
      next();
      return;
    }
    response.setHeader('Retry-After', String(retryAfter));
    response.status(429).json(options.body(retryAfter));
  };
}
