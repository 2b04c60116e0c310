import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { fromProjectRoot } from '@io/project-root';
import { pageSecurityHeaders } from '../page-security';

// Static files are not compiled: dist/ finds them in the source tree.
const publicDir = fromProjectRoot('gateway', 'src', 'dashboard', 'public');
// graphql-ws ships its browser client as ES modules (client.js and the chunk it imports).
const graphqlWsDist = dirname(require.resolve('graphql-ws'));
// The charts (uPlot) are bundled by `npm run build` (scripts/build.ts); a build output, not source.
const chartsBundle = fromProjectRoot('dist', 'bundles', 'charts');

const securityHeaders = pageSecurityHeaders();

/** The operator dashboard: GET / and its assets under /dashboard/ (the page is static; data comes from /graphql). */
export function createDashboardRouter(): Router {
  const router = Router();
  const assets = { setHeaders: securityHeaders, index: false, fallthrough: false } as const;
  router.get('/', (_request, response) => {
    securityHeaders(response);
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(publicDir, 'index.html'));
  });
  router.use('/dashboard/vendor/graphql-ws', (request, response, next) =>
    /^\/[\w-]+\.js$/.test(request.path) ? next() : response.status(404).end(),
  );
  router.use('/dashboard/vendor/graphql-ws', express.static(graphqlWsDist, assets));
  router.use('/dashboard/vendor/charts', express.static(chartsBundle, assets));
  router.use('/dashboard', express.static(publicDir, assets));
  return router;
}
