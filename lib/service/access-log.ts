import type { RequestHandler, Response } from 'express';
import type { Logger } from '@io/logger';
import type { ServiceMetrics } from '@io/metrics/metrics';
import { livePath, readyPath } from './health-routes';

/** What the handlers learnt about a request that its access line reports. */
export interface AccessRecord {
  /** A REST route's pattern (`/api/orders/orders/{id}`), set where the route is mounted. */
  route?: string;
  /** A GraphQL operation's name (`(anonymous)` without one) and type, set by the GraphQL metrics plugin. */
  operation?: string;
  operationType?: string;
  /** extensions.code of each error in a GraphQL answer. */
  errorCodes?: string[];
  /** The error code of a REST error answer. */
  restErrorCode?: string;
  /** A body refused before any handler ran (malformed JSON, too large, bad gzip): logged as a warning. */
  refused?: { code: string; message: string };
}

/** The access record of a response, created on first use (res.locals lives as long as the request). */
export function accessRecord(response: Response): AccessRecord {
  const locals = response.locals as { access?: AccessRecord };
  locals.access ??= {};
  return locals.access;
}

/** Fixed paths of every service; a REST route is labelled with its pattern, anything else (static files, unknown paths) `(other)`. */
const knownPaths = new Set(['/graphql', '/health', livePath, readyPath, '/metrics']);
/** Polled by orchestrators, Prometheus and the monitor every few seconds: their lines are debug, not info. */
const probePaths = new Set(['/health', livePath, readyPath, '/metrics']);

function routeOf(path: string, record: AccessRecord): string {
  if (record.route) return record.route;
  return knownPaths.has(path) ? path : '(other)';
}

/**
 * One line per request once its response is sent (or its client went away, status 499): method,
 * route pattern, path, GraphQL operation, status, duration. A refused body is the same single line
 * at warn level with its code and reason, never a stack trace. Also feeds the request histogram.
 */
export function accessLog(logger: Logger, metrics: ServiceMetrics): RequestHandler {
  return (request, response, next) => {
    const started = performance.now();
    // Read now: a router mounted on a path (app.use('/graphql', ...)) rewrites it for its handlers.
    const { path, method } = request;
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const seconds = (performance.now() - started) / 1000;
      const status = response.writableFinished ? response.statusCode : 499;
      const record = accessRecord(response);
      const route = routeOf(path, record);
      metrics.httpDuration.observe({ method, route, status: String(status) }, seconds);
      if (record.restErrorCode) metrics.restErrors.inc({ code: record.restErrorCode });
      // A body refused before Apollo saw it is still a GraphQL error answer (errors[0].extensions.code).
      else if (record.refused) metrics.graphqlErrors.inc({ code: record.refused.code });
      const line = {
        method,
        route,
        path,
        ...(record.operation === undefined ? {} : { operation: record.operation, operationType: record.operationType }),
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        ...(record.errorCodes?.length ? { errorCodes: record.errorCodes } : {}),
        ...(record.restErrorCode ? { errorCode: record.restErrorCode } : {}),
      };
      if (record.refused)
        logger.warn({ ...line, code: record.refused.code, reason: record.refused.message }, 'bad request');
      // A failing probe answers 503 every few seconds while a dependency is away: the probe's
      // answer (and the monitor's alert) reports it, not a warning per poll.
      else if (probePaths.has(path)) logger.debug(line, 'request');
      else if (status >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    };
    response.once('finish', done);
    response.once('close', done);
    next();
  };
}
