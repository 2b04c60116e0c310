import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type RequestHandler } from 'express';
import { keepConnectionsLongerThanClients } from './keep-alive';
import { parse } from 'graphql';
import type { Logger } from '@io/logger';
import { maskUnexpectedErrors } from '@io/graphql/format-error';
import { hopHeader, hopVerifier, HopError } from '@io/auth/hop';
import type { Identity } from '@io/auth/identity';
import { refuseNulCharacters } from '@io/graphql/nul-characters';
import { graphqlMetrics } from '@io/metrics/graphql-plugin';
import type { ServiceMetrics } from '@io/metrics/metrics';
import { accessLog } from './access-log';
import { graphqlBodyErrorHandler } from './body-errors';
import { mountHealthProbes, type ReadinessCheck } from './health-routes';
import { metricsRoute } from './metrics-route';

export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  typeDefs: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- generated Resolvers types differ per subgraph
  resolvers: any;
  /** Builds a request's context for the caller the gateway vouched for (null: anonymous). */
  context: (identity: Identity | null) => Promise<TContext> | TContext;
  /** The gateway→subgraph hop secret: a request without a valid signed identity header is refused (401). */
  hopSecret: string;
  /** Throws when a dependency (database, broker) is unusable; /health then answers 503. */
  checkHealth: () => Promise<void>;
  /** What /health/ready checks (database, Kafka). */
  readiness: Record<string, ReadinessCheck>;
  metrics: ServiceMetrics;
  /** When set, /metrics needs it as a bearer token. */
  metricsToken?: string;
  /** Times the supervisor restarted this process after a crash, reported on /health. */
  restarts?: number;
  logger: Logger;
  /** Production: every internal error masked, whatever raised it. */
  production?: boolean;
  /** Stack traces in GraphQL errors (development mode, when asked for); off unless given. */
  stacktraces?: boolean;
}

/** The largest body a subgraph reads; the gateway's requests are a few kilobytes. */
const bodyLimit = '1mb';

export interface RunningHttpServer {
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves the subgraph on /graphql, its health probes on /health, /health/live and /health/ready, its
 * metrics on /metrics, and logs one access line per request; port 0 picks a free port.
 */
export async function startSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
  port: number,
  host = '127.0.0.1',
): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(options.logger, options.metrics));
  const httpServer = createServer(app);
  const graphqlMetering = graphqlMetrics(options.metrics);
  keepConnectionsLongerThanClients(httpServer);
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: parse(options.typeDefs), resolvers: options.resolvers }),
    formatError: maskUnexpectedErrors(options.logger, { maskAll: options.production }),
    includeStacktraceInErrorResponses: options.stacktraces ?? false,
    // The process's lifecycle stops the server on SIGTERM/SIGINT, after which it still has to leave
    // its consumer group and drain its outbox. Apollo's own handler (on outside tests) re-raises the
    // signal once the server has stopped, killing the process halfway through: a consumer that never
    // left its group makes the next start wait a whole session timeout to rebalance.
    stopOnTerminationSignals: false,
    // Inline traces only serve Apollo's hosted usage reporting, which this system does not use; cache
    // control hooks into the resolution of every field to compute HTTP cache headers nobody reads.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      refuseNulCharacters(),
      graphqlMetering.plugin,
    ],
    // The default pretty-prints every response; the gateway does not need the whitespace.
    stringifyResult: JSON.stringify,
  });
  await apollo.start();
  const restarts = options.restarts ?? 0;
  app.get('/health', async (_request, response) => {
    try {
      await options.checkHealth();
      response.json({ status: 'healthy', service: options.name, restarts });
    } catch (error) {
      response
        .status(503)
        .json({ status: 'unhealthy', service: options.name, restarts, error: (error as Error).message });
    }
  });
  mountHealthProbes(app, options.name, options.readiness);
  app.get('/metrics', metricsRoute(options.metrics, options.metricsToken, options.logger));
  const verifyHop = hopVerifier(options.hopSecret);
  const identities = new WeakMap<object, Identity | null>();
  // Before anything is parsed: a subgraph port is no way around the gateway, `_service` and `_entities` included.
  const requireGatewaySignature: RequestHandler = (request, response, next) => {
    try {
      identities.set(request, verifyHop(request.get(hopHeader)));
      next();
    } catch (error) {
      if (!(error instanceof HopError)) throw error;
      response.status(401).json({ errors: [{ message: error.message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  };
  app.use(
    '/graphql',
    requireGatewaySignature,
    express.json({ limit: bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => graphqlMetering.link(await options.context(identities.get(req) ?? null), res),
    }),
    graphqlBodyErrorHandler(options.logger, bodyLimit),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, resolve);
  });
  const { port: bound } = httpServer.address() as AddressInfo;
  return { url: `http://${host}:${bound}`, close: () => apollo.stop() };
}
