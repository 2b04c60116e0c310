import type { Server } from 'node:http';
import { GraphQLError, parse, print, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Identity } from '@io/auth/identity';
import type { Logger } from '@io/logger';
import { AuthenticationError, credentialsOf, type Authenticate } from '../auth/authenticate';
import type { Authorizer } from '../auth/authorize';
import { depthLimitRule } from '../depth-limit';
import type { ExecuteAs } from '../execute';
import type { SubscriptionEngine } from './engine';
import { webSocketSendBuffer } from './send-buffer';
import type { SendBuffer } from './subscriber-cursor';

/** What onSubscribe hands on to the engine about the socket the operation came on. */
interface SocketContext {
  sendBuffer: SendBuffer;
  identity: Identity | undefined;
}

/** What onConnect learns about a socket and keeps with it (graphql-ws's `extra`). */
type SocketExtra = { identity?: Identity };

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  schema: GraphQLSchema;
  engine: SubscriptionEngine;
  /** Queries and mutations sent over the socket run through the gateway like HTTP ones, as the socket's caller. */
  execute: ExecuteAs;
  authenticate: Authenticate;
  authorizer: Authorizer;
  maxConnections: number;
  maxSubscriptionsPerSocket: number;
  /** A subscriber waits while its socket holds more unsent bytes than this. */
  sendBufferBytes: number;
  logger: Logger;
}

/**
 * Close codes of this server besides graphql-ws's own: a token that is not valid at connection
 * time, or that expires while the socket is open, closes it with 4401 (graphql-ws's Unauthorized;
 * its clients do not retry it: connect again with a fresh token).
 */
const tokenCloseCode = CloseCode.Unauthorized;

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })];

// setTimeout holds at most 2^31 - 1 ms (about 24.8 days); a longer-lived token is re-armed.
const maxTimer = 2 ** 31 - 1;

/** Closes the socket when the token ends (and not before the socket's own end). */
function closeAtExpiry(socket: WebSocket, expiresAt: number): void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      socket.close(tokenCloseCode, 'Token expired');
      return;
    }
    timer = setTimeout(arm, Math.min(left, maxTimer));
    timer.unref();
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * graphql-ws on the gateway's own HTTP server and path, so Apollo Sandbox and any graphql-ws
 * client subscribe where they query. Returns the disposer the drain plugin calls on shutdown.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): {
  dispose: () => Promise<void>;
  connections: () => number;
} {
  const wsServer = new WebSocketServer({ server: options.httpServer, path: options.path, maxPayload: 1024 * 1024 });
  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema: options.schema,
      // The token comes in connectionParams; without one the socket is anonymous (development mode: the
      // development caller) and authorization refuses what the SDL protects, as over HTTP.
      onConnect: async (context) => {
        if (wsServer.clients.size > options.maxConnections) return false;
        const { socket } = context.extra;
        try {
          context.extra.identity = await options.authenticate(credentialsOf(context.connectionParams));
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          socket.close(tokenCloseCode, `Unauthorized: ${error.message}`.slice(0, 120));
          return false;
        }
        const expiresAt = context.extra.identity?.expiresAt;
        if (expiresAt !== undefined) closeAtExpiry(socket, expiresAt);
        return true;
      },
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
        const { socket, request, identity } = context.extra;
        const refused = options.authorizer.check(document, payload.operationName, identity);
        if (refused) return [refused];
        const contextValue: SocketContext = {
          sendBuffer: webSocketSendBuffer(socket, request.socket, options.sendBufferBytes),
          identity,
        };
        return {
          schema: options.schema,
          document,
          variableValues: payload.variables ?? {},
          operationName: payload.operationName ?? undefined,
          contextValue,
        };
      },
      subscribe: (args) => {
        const { sendBuffer, identity } = args.contextValue as SocketContext;
        return options.engine.subscribe(args, sendBuffer, identity);
      },
      execute: async (args) => {
        const { data, errors } = await options.execute((args.contextValue as SocketContext).identity)(
          print(args.document),
          (args.variableValues ?? {}) as Record<string, unknown>,
        );
        // graphql-ws serialises errors with toJSON(): the gateway's formatted errors become GraphQLErrors again.
        return {
          data,
          ...(errors
            ? {
                errors: errors.map(
                  (error) => new GraphQLError(error.message, { path: error.path, extensions: error.extensions }),
                ),
              }
            : {}),
        };
      },
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
