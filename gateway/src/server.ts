import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { keepConnectionsLongerThanClients } from '../../lib/service/keep-alive';
import { maskUnexpectedErrors } from '../../lib/graphql/format-error';
import type { Logger } from '../../lib/logger';
import type { RunningHttpServer } from '../../lib/service/subgraph-server';
import { executorFor } from './execute';
import { createRestRouter } from './rest';
import { SubgraphDataSource } from './subgraph-data-source';
import type { SubgraphName } from './supergraph';

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph of the supergraph is served (the supergraph's own URLs are placeholders). */
  subgraphUrls: Record<SubgraphName, string>;
  logger: Logger;
  port: number;
  host?: string;
}

async function subgraphHealth(urls: Record<SubgraphName, string>) {
  const entries = await Promise.all(Object.entries(urls).map(async ([name, url]) => {
    try {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(2000) });
      return [name, response.ok ? 'healthy' : 'unhealthy'] as const;
    } catch {
      return [name, 'down'] as const;
    }
  }));
  return Object.fromEntries(entries);
}

/** The federated API on /graphql (Apollo Sandbox as its landing page outside production) and /health. */
export async function startGateway(options: GatewayOptions): Promise<RunningHttpServer> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => new SubgraphDataSource({ url: options.subgraphUrls[name as SubgraphName] }),
  });
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  keepConnectionsLongerThanClients(httpServer);
  const apollo = new ApolloServer({
    gateway,
    formatError: maskUnexpectedErrors(options.logger),
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();
  app.get('/health', async (_request, response) => {
    const subgraphs = await subgraphHealth(options.subgraphUrls);
    const healthy = Object.values(subgraphs).every((status) => status === 'healthy');
    response.status(healthy ? 200 : 503).json({ status: healthy ? 'healthy' : 'degraded', service: 'gateway', subgraphs });
  });
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo));
  app.use('/api', createRestRouter(executorFor(apollo), options.logger.child({ component: 'rest' })));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  options.logger.info({ url: `http://${host}:${port}/graphql` }, 'gateway ready');
  return { url: `http://${host}:${port}`, close: () => apollo.stop() };
}
