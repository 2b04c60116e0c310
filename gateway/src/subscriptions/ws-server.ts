import type { Server } from 'node:http';
import { GraphQLError, print, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from '@io/logger';
import type { ExecuteGraphQL } from '../execute';
import type { OperationLimits } from '../limits';
import { operationGate } from '../limits/operation-gate';
import { originAllowed } from '../protection';
import { rateLimitKey } from '../rate-limit/key';
import type { RateLimiter } from '../rate-limit/limiter';
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
  /** Sockets one client address may hold; more are refused at the upgrade with 429. */
  maxConnectionsPerAddress: number;
  maxSubscriptionsPerSocket: number;
  /** The same operation limits as HTTP, and who may open a socket and how often it may operate. */
  protection: SocketProtection;
  /** A subscriber waits while its socket holds more unsent bytes than this. */
  sendBufferBytes: number;
  logger: Logger;
}

export interface SocketProtection {
  operations: OperationLimits;
  /** Browser origins allowed besides the gateway's own. */
  allowedOrigins: readonly string[];
  rateLimiter: RateLimiter;
}

/** The close code for a socket whose caller ran out of its rate budget (4400-4499: graphql-ws leaves them to us). */
const rateLimitedCloseCode = 4429;

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })];

/**
 * graphql-ws on the gateway's own HTTP server and path, so Apollo Sandbox and any graphql-ws
 * client subscribe where they query. Returns the disposer the drain plugin calls on shutdown.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): {
  dispose: () => Promise<void>;
  connections: () => number;
} {
  const { protection } = options;
  const admit = operationGate(options.schema, protection.operations);
  const socketsByAddress = new Map<string, number>();
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: 1024 * 1024,
    // Refused before any socket exists: a page on another site (cross-site WebSocket hijacking, in
    // every mode), and one address holding more than its share of the gateway's sockets.
    verifyClient: ({ origin, req }, decide) => {
      if (!originAllowed(origin, req, protection.allowedOrigins)) {
        decide(false, 403, 'Origin not allowed');
        return;
      }
      if ((socketsByAddress.get(rateLimitKey(req)) ?? 0) >= options.maxConnectionsPerAddress) {
        decide(false, 429, 'Too many connections from this address');
        return;
      }
      decide(true);
    },
  });
  wsServer.on('connection', (_socket, request) => {
    const key = rateLimitKey(request);
    socketsByAddress.set(key, (socketsByAddress.get(key) ?? 0) + 1);
    _socket.once('close', () => {
      const left = (socketsByAddress.get(key) ?? 1) - 1;
      if (left > 0) socketsByAddress.set(key, left);
      else socketsByAddress.delete(key);
    });
  });
  const disposable = useServer(
    {
      schema: options.schema,
      // No user model exists yet, so there is nothing to authenticate; the cap on sockets is enforced here.
      onConnect: () => wsServer.clients.size <= options.maxConnections,
      onSubscribe: async (context, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const { socket, request } = context.extra;
        const retryAfter = await protection.rateLimiter(rateLimitKey(request), 'request');
        if (retryAfter !== undefined) {
          socket.close(rateLimitedCloseCode, `Too many requests; retry after ${retryAfter} s`);
          return badRequest('too many requests');
        }
        // graphql-ws has already reserved this operation's id in `subscriptions` when it asks us.
        if (Object.keys(context.subscriptions).length > options.maxSubscriptionsPerSocket) {
          return badRequest(`at most ${options.maxSubscriptionsPerSocket} subscriptions per connection`);
        }
        const admitted = admit(payload.query, payload.variables, payload.operationName);
        if (!('document' in admitted)) return admitted;
        if (admitted.operation.operation === 'mutation') {
          const mutationRetry = await protection.rateLimiter(rateLimitKey(request), 'mutation');
          if (mutationRetry !== undefined) {
            socket.close(rateLimitedCloseCode, `Too many mutations; retry after ${mutationRetry} s`);
            return badRequest('too many requests');
          }
        }
        const { document } = admitted;
        const contextValue: SocketContext = {
          sendBuffer: webSocketSendBuffer(socket, request.socket, options.sendBufferBytes),
        };
        return {
          schema: options.schema,
          document,
          // As sent: the gate has checked they coerce; the engine and the gateway coerce them again.
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
