import { existsSync } from 'node:fs';
import express, { Router } from 'express';
import { fromProjectRoot } from '@io/project-root';
import { pageSecurityHeaders } from '../page-security';

// The page is read from the source tree (like the dashboard's); its bundle is a build output.
const page = fromProjectRoot('gateway', 'src', 'explorer', 'app', 'index.html');
const bundleDir = fromProjectRoot('dist', 'bundles', 'explorer');

// Everything the page needs is its own bundle; fonts and icons are inlined in its stylesheet.
const securityHeaders = pageSecurityHeaders("font-src 'self' data:");

/**
 * GraphiQL at GET /graphiql and its bundle under /graphiql/assets/. Offered where Apollo Sandbox
 * is (not in production unless asked for): an explorer is a map of the API, like introspection.
 */
export function createExplorerRouter(): Router {
  const router = Router();
  router.get('/graphiql', (_request, response) => {
    securityHeaders(response);
    if (!existsSync(bundleDir)) {
      response.status(503).type('text/plain').send('The explorer is not built: run `npm run build`.\n');
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(page);
  });
  router.use(
    '/graphiql/assets',
    express.static(bundleDir, { setHeaders: securityHeaders, index: false, fallthrough: false }),
  );
  return router;
}
