import { circuitBreaker, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Config } from '@io/config';
import type { Logger } from '@io/logger';

export interface SubgraphBreakerOptions {
  /** Failures in a row (no answer in time, refused, 502-504) that open the circuit. */
  failures: number;
  /** How long an open circuit fails fast before one request is let through to try the subgraph again. */
  halfOpenAfterMs: number;
}

/** What the breaker counts: the subgraph did not answer, as opposed to answering with an error. */
export class SubgraphAway extends Error {
  constructor(readonly reason: 'timeout' | 'unreachable' | 'unavailable') {
    super(reason);
  }
}

/**
 * One subgraph's circuit breaker (cockatiel): after `failures` requests in a row found it away,
 * requests fail at once instead of each waiting out the timeout; after `halfOpenAfterMs` one
 * request tries again (the others still fail fast) and its outcome closes or reopens the circuit.
 * GraphQL errors the subgraph answers never count: it is there.
 */
export function subgraphBreaker(name: string, options: SubgraphBreakerOptions, logger?: Logger): CircuitBreakerPolicy {
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof SubgraphAway),
    { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.failures) },
  );
  breaker.onBreak(() => logger?.warn({ subgraph: name }, `circuit to ${name} opened: failing fast`));
  breaker.onReset(() => logger?.info({ subgraph: name }, `circuit to ${name} closed: it answers again`));
  return breaker;
}

/** The gateway's bounds on subgraph calls, from the configuration. */
export function subgraphCalls(config: Config): { timeoutMs: number } & SubgraphBreakerOptions {
  return {
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    failures: config.SUBGRAPH_BREAKER_FAILURES,
    halfOpenAfterMs: config.SUBGRAPH_BREAKER_HALF_OPEN_MS,
  };
}
