import type { Server } from 'node:http';
import { buildSchema, printSchema, type GraphQLSchema } from 'graphql';
import type { Kafka } from 'kafkajs';
import type { TopicNamer } from '@io/kafka/topics';
import type { Logger } from '@io/logger';
import type { Authenticate } from '../auth/authenticate';
import type { Authorizer } from '../auth/authorize';
import type { ExecuteAs } from '../execute';
import { SubscriptionEngine, type SubscriptionStats } from './engine';
import { EventHub, type EventHubOptions } from './event-hub';
import { subscriptionFields } from './fields';
import type { RequestHandler } from 'express';
import { ConnectionSlots } from './connection-slots';
import type { HttpStreamOptions } from './http-streams';
import { multipartSubscriptions } from './multipart';
import { serverSentEvents } from './sse';
import { startSubscriptionServer, type SocketProtection } from './ws-server';

export interface SubscriptionLimits {
  resumeWindowMs: number;
  resumeWindowBytes: number;
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxSubscriptionsPerSocket: number;
  sendBufferBytes: number;
}

export interface RunningSubscriptions {
  stats: () => SubscriptionStats & { connections: number };
  /** The same subscriptions over HTTP: Server-Sent Events (graphql-sse) and Apollo's multipart protocol. */
  http: { serverSentEvents: RequestHandler; multipart: RequestHandler };
  /** Closes every socket (drain), then stops consuming. */
  stop: () => Promise<void>;
}

export async function startSubscriptions(options: {
  httpServer: Server;
  schema: GraphQLSchema;
  execute: ExecuteAs;
  authenticate: Authenticate;
  authorizer: Authorizer;
  kafka: Kafka;
  topicName: TopicNamer;
  limits: SubscriptionLimits;
  protection: SocketProtection;
  onEvent?: EventHubOptions['onEvent'];
  logger: Logger;
}): Promise<RunningSubscriptions> {
  const { limits, logger } = options;
  // The gateway's schema object carries its own resolvers (an alias resolver on every field); the
  // subscription engine executes payloads with its own, so it works on a resolver-free copy.
  const schema = buildSchema(printSchema(options.schema));
  const hub = new EventHub({
    kafka: options.kafka,
    topicName: options.topicName,
    windowMs: limits.resumeWindowMs,
    windowBytes: limits.resumeWindowBytes,
    logger,
    onEvent: options.onEvent,
    events: Object.values(subscriptionFields).map((field) => field.event),
  });
  await hub.start();
  const engine = new SubscriptionEngine({
    hub,
    schema,
    execute: options.execute,
    authorizer: options.authorizer,
    topicName: options.topicName,
    logger,
  });
  const slots = new ConnectionSlots(limits.maxConnections, limits.maxConnectionsPerAddress);
  const server = startSubscriptionServer({
    httpServer: options.httpServer,
    path: '/graphql',
    schema,
    engine,
    execute: options.execute,
    authenticate: options.authenticate,
    authorizer: options.authorizer,
    maxConnections: limits.maxConnections,
    slots,
    protection: options.protection,
    maxSubscriptionsPerSocket: limits.maxSubscriptionsPerSocket,
    sendBufferBytes: limits.sendBufferBytes,
    logger,
  });
  const openStreams = new Set<() => void>();
  const streams: HttpStreamOptions = {
    schema,
    engine,
    execute: options.execute,
    authorizer: options.authorizer,
    protection: options.protection,
    slots,
    sendBufferBytes: limits.sendBufferBytes,
    openStreams,
    logger,
  };
  return {
    // Every transport's connections: sockets and HTTP streams.
    stats: () => ({ ...engine.stats(), connections: slots.count() }),
    http: { serverSentEvents: serverSentEvents(streams), multipart: multipartSubscriptions(streams) },
    stop: async () => {
      for (const end of [...openStreams]) end();
      await server.dispose();
      await hub.stop();
    },
  };
}
