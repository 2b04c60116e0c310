import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Identity } from '@io/auth/identity';
import { accessRecord } from '@io/service/access-log';
import type { ExecuteAs, ExecuteGraphQL } from '../execute';
import { parseJsonBody, requireJsonContent } from './body';
import { badRequest, RestError } from './errors';
import type { Route } from './route';
import { parsePart } from './validation';

const noQuery = z.strictObject({});

const expressPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

// Literal segments must win over parameters: `/products/low-stock` is not product "low-stock".
const parameterCount = (route: Route) => (route.path.match(/\{/g) ?? []).length;

// `Cache-Control: no-cache` asks for an answer from the subgraphs, not the gateway's response cache.
const wantsFreshAnswer = (request: Request) => /no-cache|no-store/.test(request.get('cache-control') ?? '');

/**
 * Registers every route: validate path, query and body, run the route's operation as the caller
 * (authenticateRequests put it in `response.locals`), answer JSON.
 */
export function mountRoutes(router: Router, routes: readonly Route[], executeAs: ExecuteAs): void {
  const executorFor = (request: Request, identity: Identity | undefined): ExecuteGraphQL => {
    const execute = executeAs(identity);
    if (!wantsFreshAnswer(request)) return execute;
    return (query, variables, options) => execute(query, variables, { ...options, bypassResponseCache: true });
  };
  for (const route of [...routes].sort((a, b) => parameterCount(a) - parameterCount(b))) {
    const bodyParsers = route.body ? [requireJsonContent, parseJsonBody] : [];
    const recordRoute: RequestHandler = (request, response, next) => {
      accessRecord(response).route = `${request.baseUrl}${route.path}`;
      next();
    };
    router[route.method](expressPath(route.path), recordRoute, ...bodyParsers, async (request, response) => {
      const params = route.params ? parsePart(route.params, request.params, 'path') : undefined;
      const query = parsePart(route.query ?? noQuery, request.query, 'query');
      let body: unknown;
      if (route.body) {
        if (request.body === undefined)
          throw badRequest('body', 'body: a JSON object is required (Content-Type: application/json)');
        body = parsePart(route.body, request.body, 'body');
      }
      response.status(route.success.status).json(
        await route.handle(
          {
            params,
            query: route.query ? query : undefined,
            body,
            idempotencyKey: route.idempotent ? request.get('idempotency-key') : undefined,
          },
          executorFor(request, route.probeAs ?? (response.locals.identity as Identity | undefined)),
        ),
      );
    });
  }
}

/** After every route: a known path with another method is 405 (with Allow), anything else 404. */
export function unknownRoute(routes: readonly Route[]) {
  const templates = routes.map((route) => ({
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
  }));
  return (
    request: { method: string; path: string },
    response: { setHeader: (name: string, value: string) => void },
    next: (error: unknown) => void,
  ) => {
    const allowed = [
      ...new Set(templates.filter(({ pattern }) => pattern.test(request.path)).map(({ method }) => method)),
    ];
    if (allowed.length > 0) {
      response.setHeader('Allow', allowed.join(', '));
      next(
        new RestError(
          405,
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on /api${request.path}; use ${allowed.join(' or ')}`,
        ),
      );
      return;
    }
    next(
      new RestError(
        404,
        'NOT_FOUND',
        `no endpoint ${request.method} /api${request.path}; the API is described at /api/docs`,
      ),
    );
  };
}
