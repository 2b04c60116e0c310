import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { Kafka } from 'kafkajs';
import { hopSigner } from '@io/auth/hop';
import type { AuthMode } from '@io/auth/mode';
import { maskUnexpectedErrors } from '@io/graphql/format-error';
import type { TopicNamer } from '@io/kafka/topics';
import type { Logger } from '@io/logger';
import { brokerReachability } from '@io/kafka/reachability';
import { graphqlMetrics } from '@io/metrics/graphql-plugin';
import { ServiceMetrics } from '@io/metrics/metrics';
import { accessLog } from '@io/service/access-log';
import { graphqlBodyErrorHandler } from '@io/service/body-errors';
import { mountHealthProbes } from '@io/service/health-routes';
import { metricsRoute } from '@io/service/metrics-route';
import { keepConnectionsLongerThanClients } from '@io/service/keep-alive';
import type { RunningHttpServer } from '@io/service/subgraph-server';
import { accessRules, supergraphForPlanner } from './auth/access-rules';
import { authenticator } from './auth/authenticate';
import type { Authorizer } from './auth/authorize';
import type { GatewayContext } from './auth/context';
import { authenticateRequests } from './auth/http';
import { authorizationPlugin } from './auth/plugin';
import { createDashboardRouter } from './dashboard';
import { executorFor } from './execute';
import { createExplorerRouter } from './explorer';
import { subgraphHealth, subgraphReady } from './health';
import { costLimitPlugin } from './limits/cost-check';
import { limitRules } from './limits/rules';
import type { GatewayProtection } from './protection';
import { mutationRateLimitPlugin, type RateLimitContext } from './rate-limit/graphql-plugin';
import { rateLimitedMessage, rateLimitMiddleware } from './rate-limit/http';
import { rateLimitKey } from './rate-limit/key';
import { createRateLimiter } from './rate-limit/limiter';
import {
  cacheableSubgraphs,
  changedByEvent,
  ResponseCache,
  responseCaching,
  type ResponseCacheOptions,
} from './response-cache';
import { createRestRouter } from './rest';
import { RestError } from './rest/errors';
import { createSubgraphAgent } from './subgraph-agent';
import { subgraphBreaker, type SubgraphBreakerOptions } from './subgraph-breaker';
import { SubgraphDataSource } from './subgraph-data-source';
import { startSubscriptions, type RunningSubscriptions, type SubscriptionLimits } from './subscriptions';
import { registerSubscriptionMetrics } from './subscriptions/metrics';
import type { SubgraphName } from './supergraph';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph of the supergraph is served (the supergraph's own URLs are placeholders). */
  subgraphUrls: Record<SubgraphName, string>;
  logger: Logger;
  port: number;
  host?: string;
  /** Where subscription events come from, and the limits that protect the gateway from its clients. */
  events: { kafka: Kafka; topicName: TopicNamer; limits: SubscriptionLimits };
  /** How callers are identified (lib/auth/mode.ts), and the hop to the subgraphs signed. */
  auth: {
    mode: AuthMode;
    hopSecret: string;
    hopTtlSeconds: number;
    /** Introspection and Apollo Sandbox (both off by default in production). */
    introspection: boolean;
    sandbox: boolean;
  };
  /** Operation limits, rate limits, allowed origins, error masking. */
  protection: GatewayProtection;
  /** Answers of queries kept until an event or a mutation invalidates them (maxBytes 0: off). */
  responseCache: Pick<ResponseCacheOptions, 'maxBytes' | 'ttlMs'>;
  /** When set, /metrics needs it as a bearer token (METRICS_TOKEN). */
  metricsToken?: string;
  /** Times the supervisor restarted this process after a crash, reported on /health. */
  restarts?: number;
  /** How long a subgraph may take to answer, and when its circuit opens (subgraph-breaker.ts). */
  subgraphCalls: { timeoutMs: number } & SubgraphBreakerOptions;
}

/** The largest /graphql body; an operation within the token limit is a few kilobytes. */
const graphqlBodyLimit = '1mb';

export interface RunningGateway extends RunningHttpServer {
  metrics: ServiceMetrics;
  subscriptionStats: RunningSubscriptions['stats'];
  responseCacheStats: ResponseCache['stats'];
}

/**
 * The federated API on /graphql: queries and mutations over HTTP (Apollo Sandbox as the landing
 * page outside production, GraphiQL at /graphiql), subscriptions over graphql-ws on the same path,
 * over Apollo's multipart HTTP protocol on the same path, and over Server-Sent Events at
 * /graphql/stream; /api (REST), /health, /health/live, /health/ready and /metrics; one access line
 * per request.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { subgraphCalls } = options;
  const subgraphAgent = createSubgraphAgent(subgraphCalls.timeoutMs);
  const { auth } = options;
  const sign = hopSigner(auth.hopSecret, auth.hopTtlSeconds);
  const subgraphs = Object.keys(options.subgraphUrls);
  const responseCache = new ResponseCache({
    ...options.responseCache,
    cacheable: cacheableSubgraphs(subgraphs),
  });
  const caching = responseCaching(responseCache, subgraphs);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphForPlanner(options.supergraphSdl),
    buildService: ({ name }) =>
      new SubgraphDataSource(
        name,
        options.subgraphUrls[name as SubgraphName],
        subgraphAgent,
        sign,
        subgraphCalls.timeoutMs,
        subgraphBreaker(name, subgraphCalls, options.logger),
      ),
    experimental_didResolveQueryPlan: caching.didResolveQueryPlan,
  });
  const authenticate = authenticator(auth.mode);
  let authorizer: Authorizer | undefined;
  const metrics = new ServiceMetrics();
  const graphqlMetering = graphqlMetrics(metrics);
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(options.logger, metrics));
  const httpServer = createServer(app);
  keepConnectionsLongerThanClients(httpServer);
  let subscriptions: RunningSubscriptions | undefined;
  const { protection } = options;
  const rateLimiter = createRateLimiter(protection.rateLimits);
  const apollo = new ApolloServer<GatewayContext & RateLimitContext>({
    gateway,
    introspection: auth.introspection,
    formatError: maskUnexpectedErrors(options.logger, { maskAll: protection.production }),
    includeStacktraceInErrorResponses: protection.stacktraces,
    // Parsing stops at the token limit; validation rules run only when a document is not yet in
    // Apollo's document cache (on by default), and the cost check reuses its result per document.
    parseOptions: { maxTokens: protection.operations.maxTokens },
    validationRules: limitRules(protection.operations),
    // Off by default in Apollo Server; stated so that nobody turns it on without a limit per batch.
    allowBatchedHttpRequests: false,
    // The process's lifecycle handles SIGTERM/SIGINT (see lib/service/subgraph-server.ts).
    stopOnTerminationSignals: false,
    // The default pretty-prints every response; clients do not need the whitespace.
    stringifyResult: JSON.stringify,
    plugins: [
      authorizationPlugin(accessRules(options.supergraphSdl), (built) => {
        authorizer = built;
      }),
      auth.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ footer: false })
        : ApolloServerPluginLandingPageDisabled(),
      // After authorization (didResolveOperation runs before responseForOperation): a refused operation is never answered from the cache.
      caching.plugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      costLimitPlugin(protection.operations.maxCost),
      mutationRateLimitPlugin(rateLimiter),
      graphqlMetering.plugin,
      {
        serverWillStart: async () => ({
          drainServer: async () => {
            await subscriptions?.stop();
          },
        }),
      },
    ],
  });
  await apollo.start();
  const execute = executorFor(apollo);
  const consumedEvents = metrics.kafkaConsumed;
  try {
    subscriptions = await startSubscriptions({
      httpServer,
      schema: gateway.schema!,
      execute,
      authenticate,
      authorizer: authorizer!,
      protection: {
        operations: protection.operations,
        allowedOrigins: protection.allowedOrigins,
        rateLimiter,
      },
      ...options.events,
      onEvent: (definition) => {
        consumedEvents.inc({ group: 'gateway', topic: definition.topic });
        responseCache.changed(changedByEvent(definition.type));
      },
      logger: options.logger.child({ component: 'subscriptions' }),
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  app.get('/health', async (_request, response) => {
    const subgraphs = await subgraphHealth(options.subgraphUrls);
    const healthy = Object.values(subgraphs).every((status) => status === 'healthy');
    response.status(healthy ? 200 : 503).json({
      status: healthy ? 'healthy' : 'degraded',
      service: 'gateway',
      restarts: options.restarts ?? 0,
      subgraphs,
    });
  });
  const broker = brokerReachability(options.events.kafka);
  mountHealthProbes(app, 'gateway', {
    ...Object.fromEntries(Object.entries(options.subgraphUrls).map(([name, url]) => [name, () => subgraphReady(url)])),
    kafka: broker.check,
  });
  app.get('/metrics', metricsRoute(metrics, options.metricsToken, options.logger));
  registerSubscriptionMetrics(metrics, subscriptions.stats);
  // Identified first: a verified caller is rate-limited by its subject, an anonymous one by its address.
  const identify = authenticateRequests(authenticate);
  // Browsers on listed origins may call the API; others get no CORS headers (same origin needs none).
  if (protection.allowedOrigins.length > 0) app.use(cors({ origin: [...protection.allowedOrigins] }));
  const graphqlRateLimit = rateLimitMiddleware(rateLimiter, {
    isMutation: () => false, // known only once the operation is parsed: mutationRateLimitPlugin (and the streams' own check)
    body: (retryAfter) => ({
      errors: [{ message: rateLimitedMessage(retryAfter), extensions: { code: 'RATE_LIMITED', retryAfter } }],
    }),
  });
  // Server-Sent Events (graphql-sse) on a path of its own, before /graphql would take it.
  app.use(
    '/graphql/stream',
    identify,
    graphqlRateLimit,
    express.json({ limit: graphqlBodyLimit }),
    subscriptions.http.serverSentEvents,
    graphqlBodyErrorHandler(options.logger, graphqlBodyLimit),
  );
  app.use(
    '/graphql',
    identify,
    graphqlRateLimit,
    express.json({ limit: graphqlBodyLimit }),
    // Subscriptions asked for as Apollo's multipart protocol; everything else goes on to Apollo.
    subscriptions.http.multipart,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const identity = res.locals.identity as GatewayContext['identity'];
        return graphqlMetering.link({ identity, rateLimitKey: rateLimitKey(req, identity) }, res);
      },
    }),
    graphqlBodyErrorHandler(options.logger, graphqlBodyLimit),
  );
  app.use(
    '/api',
    identify,
    rateLimitMiddleware(rateLimiter, {
      isMutation: (request) => request.method !== 'GET' && request.method !== 'HEAD',
      body: (retryAfter) => new RestError(429, 'RATE_LIMITED', rateLimitedMessage(retryAfter)).toJSON(),
    }),
    createRestRouter(execute, options.logger.child({ component: 'rest' })),
  );
  // GraphiQL, bundled (no internet needed): offered where Apollo Sandbox is, off in production unless asked for.
  if (auth.sandbox) app.use(createExplorerRouter());
  app.use('/', createDashboardRouter());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  options.logger.info({ url: `http://${host}:${port}/graphql`, auth: auth.mode.kind }, 'gateway ready');
  const { stats } = subscriptions;
  const close = async () => {
    await apollo.stop();
    await subgraphAgent.close();
    await broker.close();
  };
  return {
    url: `http://${host}:${port}`,
    close,
    metrics,
    subscriptionStats: stats,
    responseCacheStats: () => responseCache.stats(),
  };
}
