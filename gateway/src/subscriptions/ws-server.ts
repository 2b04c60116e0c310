import type { Server } from 'node:http';
import { GraphQLError, parse, print, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '@io/logger';
import { depthLimitRule } from '../depth-limit';
import type { ExecuteGraphQL } from '../execute';
import type { SubscriptionEngine } from './engine';
import { webSocketSendBuffer } from './send-buffer';
import type { SendBuffer } from './subscriber-cursor';

/** What onSubscribe hands on to the engine about the socket the operation came on. */
interface SocketContext {
  sendBuffer: SendBuffer;
}

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  engine: SubscriptionEngine;
  /** Queries and mutations sent over the socket run through the gateway like HTTP ones. */
  execute: ExecuteGraphQL;
  maxConnections: number;
  maxSubscriptionsPerSocket: number;
  /** A subscriber waits while its socket holds more unsent bytes than this. */
  sendBufferBytes: number;
  logger: Logger;
}

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })];

/**
 * graphql-ws on the gateway's own HTTP server and path, so Apollo Sandbox and any graphql-ws
 * client subscribe where they query. Returns the disposer the drain plugin calls on shutdown.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): {
  dispose: () => Promise<void>;
  connections: () => number;
} {
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: 1024 * 1024 });
  const disposable = useServer(
    {
      schema: options.schema,
      // No user model exists yet, so there is nothing to authenticate; the cap on sockets is enforced here.
      onConnect: () => wsServer.clients.size <= options.maxConnections,
      onSubscribe: (context, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        // graphql-ws has already reserved this operation's id in `subscriptions` when it asks us.
        if (Object.keys(context.subscriptions).length > options.maxSubscriptionsPerSocket) {
          return badRequest(`at most ${options.maxSubscriptionsPerSocket} subscriptions per connection`);
        }
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(options.schema, document, [...specifiedRules, depthLimitRule()]);
        if (errors.length > 0) return errors;
        const { socket, request } = context.extra;
        const contextValue: SocketContext = {
          sendBuffer: webSocketSendBuffer(socket, request.socket, options.sendBufferBytes),
        };
        return {
          schema: options.schema,
          document,
          variableValues: payload.variables ?? {},
          operationName: payload.operationName ?? undefined,
          contextValue,
        };
      },
      subscribe: (args) => options.engine.subscribe(args, (args.contextValue as SocketContext).sendBuffer),
      execute: (args) =>
        options.execute(print(args.document), (args.variableValues ?? {}) as Record<string, unknown>) as never,
      onError: (_context, _id, _payload, errors) => {
        options.logger.debug({ errors: errors.map((error) => error.message) }, 'subscription refused');
      },
    },
    wsServer,
  );
  return {
    dispose: async () => {
      await disposable.dispose();
    },
    connections: () => wsServer.clients.size,
  };
}
