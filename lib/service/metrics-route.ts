import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Config } from '@io/config';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from '@io/metrics/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics, the Prometheus text format. Open like /health (no hop signature, no user token)
 * unless METRICS_TOKEN is set: then only `Authorization: Bearer <METRICS_TOKEN>` reads it (the
 * `authorization` scrape setting of Prometheus), compared in constant time.
 */
export function metricsRoute(metrics: ServiceMetrics, token: string | undefined, logger: Logger): RequestHandler {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (request, response) => {
    if (expected && !timingSafeEqual(digest(request.get('authorization') ?? ''), expected)) {
      response
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({ error: { code: 'UNAUTHENTICATED', message: 'metrics need the METRICS_TOKEN bearer token' } });
      return;
    }
    try {
      const body = await metrics.exposition();
      response.set('content-type', metrics.contentType).send(body);
    } catch (error) {
      // One line, never Express's page with a stack trace.
      logger.warn({ err: error }, 'metrics collection failed');
      response.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'metrics could not be collected' } });
    }
  };
}

/**
 * /metrics holds no secrets or personal data (counts, timings, operation and topic names), so it is
 * open like /health by default, as Prometheus expects; in production without METRICS_TOKEN each
 * process says once that it is, so that nobody publishes it unknowingly.
 */
export function warnIfMetricsOpen(config: Config, logger: Logger): void {
  if (config.NODE_ENV === 'production' && config.METRICS_TOKEN === undefined)
    logger.warn(
      { path: '/metrics' },
      '/metrics is open to anyone who reaches this port: set METRICS_TOKEN, or keep the port on a private network',
    );
}
