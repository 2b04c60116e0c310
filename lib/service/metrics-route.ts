import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ServiceMetrics } from '@io/metrics/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics, the Prometheus text format. Open like /health (no hop signature, no user token)
 * unless METRICS_TOKEN is set: then only `Authorization: Bearer <METRICS_TOKEN>` reads it (the
 * `authorization` scrape setting of Prometheus), compared in constant time.
 */
export function metricsRoute(metrics: ServiceMetrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  return async (request, response) => {
    if (expected && !timingSafeEqual(digest(request.get('authorization') ?? ''), expected)) {
      response
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .json({ error: { code: 'UNAUTHENTICATED', message: 'metrics need the METRICS_TOKEN bearer token' } });
      return;
    }
    const body = await metrics.exposition();
    response.set('content-type', metrics.contentType).send(body);
  };
}
