import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '@io/config';

export interface RateLimits {
  windowSeconds: number;
  /** Requests of any kind per key per window (HTTP GraphQL, REST, WebSocket operations); 0 is no limit. */
  requests: number;
  /** Mutations (REST writes) per key per window, counted on top of `requests`; 0 is no limit. */
  mutations: number;
}

export function rateLimits(config: Config): RateLimits {
  return {
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    requests: config.RATE_LIMIT_REQUESTS,
    mutations: config.RATE_LIMIT_MUTATIONS,
  };
}

type RequestKind = 'request' | 'mutation';

/** Seconds until the caller may try again, or undefined when the request is within its budget. */
export type RateLimiter = (key: string, kind: RequestKind) => Promise<number | undefined>;

/**
 * In-memory fixed-window counters (rate-limiter-flexible), one per kind. Per gateway replica: with
 * N replicas behind a balancer a caller gets up to N times the budget.
 */
export function createRateLimiter(limits: RateLimits): RateLimiter {
  const limiter = (points: number) =>
    points > 0 ? new RateLimiterMemory({ points, duration: limits.windowSeconds }) : undefined;
  const limiters = { request: limiter(limits.requests), mutation: limiter(limits.mutations) };
  return async (key, kind) => {
    const chosen = limiters[kind];
    if (!chosen) return undefined;
    try {
      await chosen.consume(key);
      return undefined;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  };
}
