import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Kafka } from 'kafkajs';
import { maskUnexpectedErrors } from '@io/graphql/format-error';
import type { TopicNamer } from '@io/kafka/topics';
import type { Logger } from '@io/logger';
import { keepConnectionsLongerThanClients } from '@io/service/keep-alive';
import type { RunningHttpServer } from '@io/service/subgraph-server';
import { createDashboardRouter } from './dashboard';
import { depthLimitRule } from './depth-limit';
import { executorFor } from './execute';
import { subgraphHealth } from './health';
import {
  cacheableSubgraphs,
  changedByEvent,
  ResponseCache,
  responseCaching,
  type ResponseCacheContext,
  type ResponseCacheOptions,
} from './response-cache';
import { createRestRouter } from './rest';
import { createSubgraphAgent } from './subgraph-agent';
import { SubgraphDataSource } from './subgraph-data-source';
import { startSubscriptions, type RunningSubscriptions, type SubscriptionLimits } from './subscriptions';
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
  /** Answers of queries kept until an event or a mutation invalidates them (maxBytes 0: off). */
  responseCache: Pick<ResponseCacheOptions, 'maxBytes' | 'ttlMs'>;
}

export interface RunningGateway extends RunningHttpServer {
  subscriptionStats: RunningSubscriptions['stats'];
  responseCacheStats: ResponseCache['stats'];
}

/**
 * The federated API on /graphql: queries and mutations over HTTP (Apollo Sandbox as the landing
 * page outside production), subscriptions over graphql-ws on the same path; /api (REST) and /health.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const subgraphAgent = createSubgraphAgent();
  const subgraphs = Object.keys(options.subgraphUrls);
  const responseCache = new ResponseCache({
    ...options.responseCache,
    cacheable: cacheableSubgraphs(subgraphs),
  });
  const caching = responseCaching(responseCache, subgraphs);
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => new SubgraphDataSource(name, options.subgraphUrls[name as SubgraphName], subgraphAgent),
    experimental_didResolveQueryPlan: caching.didResolveQueryPlan,
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  keepConnectionsLongerThanClients(httpServer);
  let subscriptions: RunningSubscriptions | undefined;
  const apollo = new ApolloServer<ResponseCacheContext>({
    gateway,
    formatError: maskUnexpectedErrors(options.logger),
    // The process's lifecycle handles SIGTERM/SIGINT (see lib/service/subgraph-server.ts).
    stopOnTerminationSignals: false,
    // Validation rules run only when a document is not yet in Apollo's document cache (on by default).
    validationRules: [depthLimitRule()],
    // The default pretty-prints every response; clients do not need the whitespace.
    stringifyResult: JSON.stringify,
    plugins: [
      caching.plugin,
      ApolloServerPluginDrainHttpServer({ httpServer }),
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
  try {
    subscriptions = await startSubscriptions({
      httpServer,
      schema: gateway.schema!,
      execute,
      ...options.events,
      onEvent: (definition) => responseCache.changed(changedByEvent(definition.type)),
      logger: options.logger.child({ component: 'subscriptions' }),
    });
  } catch (error) {
    await apollo.stop();
    throw error;
  }
  app.get('/health', async (_request, response) => {
    const subgraphs = await subgraphHealth(options.subgraphUrls);
    const healthy = Object.values(subgraphs).every((status) => status === 'healthy');
    response
      .status(healthy ? 200 : 503)
      .json({ status: healthy ? 'healthy' : 'degraded', service: 'gateway', subgraphs });
  });
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
  app.use('/api', createRestRouter(execute, options.logger.child({ component: 'rest' })));
  app.use('/', createDashboardRouter());
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  options.logger.info({ url: `http://${host}:${port}/graphql` }, 'gateway ready');
  const { stats } = subscriptions;
  const close = async () => {
    await apollo.stop();
    await subgraphAgent.close();
  };
  return {
    url: `http://${host}:${port}`,
    close,
    subscriptionStats: stats,
    responseCacheStats: () => responseCache.stats(),
  };
}
