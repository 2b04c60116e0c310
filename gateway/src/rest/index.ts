import { Router } from 'express';
import type { Logger } from '@io/logger';
import type { ExecuteAs } from '../execute';
import { restErrorHandler } from './error-handler';
import { mountRoutes, unknownRoute } from './mount';
import { docsPage } from './openapi/docs-page';
import { buildOpenApiDocument } from './openapi/document';
import { restRoutes } from './routes';

/**
 * The REST compatibility shim (issue 5): every endpoint of the replaced system, each one GraphQL
 * operation through the gateway, described by the OpenAPI document it serves at /api/openapi.json.
 */
export function createRestRouter(execute: ExecuteAs, logger: Logger): Router {
  const document = buildOpenApiDocument(restRoutes);
  const page = docsPage(document);
  const router = Router();
  mountRoutes(router, restRoutes, execute);
  router.get('/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/docs', (_request, response) => {
    response.type('html').send(page);
  });
  router.use(unknownRoute(restRoutes));
  router.use(restErrorHandler(logger));
  return router;
}
