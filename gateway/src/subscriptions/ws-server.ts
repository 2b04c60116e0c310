import type { Server } from 'node:http';
import { GraphQLError, print, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Identity } from '@io/auth/identity';
import type { Logger } from '@io/logger';
import { AuthenticationError, credentialsOf, type Authenticate } from '../auth/authenticate';
import type { Authorizer } from '../auth/authorize';
import type { ExecuteAs } from '../execute';
import type { OperationLimits } from '../limits';
import { operationGate } from '../limits/operation-gate';
import { originAllowed } from '../protection';
import { rateLimitKey } from '../rate-limit/key';
import type { RateLimiter } from '../rate-limit/limiter';
import type { SubscriptionEngine } from './engine';
import type { ConnectionSlots } from './connection-slots';
import { webSocketSendBuffer } from './send-buffer';
import { whenExpired } from './token-expiry';
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
  /** Connections of every transport, capped in total and per client address (over the cap: 429 at the upgrade). */
  slots: ConnectionSlots;
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

/**
 * A token that is not valid at connection time, or that expires while the socket is open, closes
 * it with 4401 (graphql-ws's Unauthorized; its clients do not retry it: connect again with a fresh token).
 */
const tokenCloseCode = CloseCode.Unauthorized;

const badRequest = (message: string) => [new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } })];

/**
 * graphql-ws on the gateway's own HTTP server and path, so Apollo Sandbox and any graphql-ws
 * client subscribe where they query. Returns the disposer the drain plugin calls on shutdown.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { dispose: () => Promise<void> } {
  const { protection } = options;
  const admit = operationGate(options.schema, protection.operations);
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
      if (options.slots.addressFull(rateLimitKey(req))) {
        decide(false, 429, 'Too many connections from this address');
        return;
      }
      decide(true);
    },
  });
  wsServer.on('connection', (socket, request) => {
    socket.once('close', options.slots.take(rateLimitKey(request)));
  });
  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema: options.schema,
      // The token comes in connectionParams; without one the socket is anonymous (development mode: the
      // development caller) and authorization refuses what the SDL protects, as over HTTP.
      onConnect: async (context) => {
        // This socket already holds its slot: more than the cap is one too many.
        if (options.slots.count() > options.maxConnections) return false;
        const { socket } = context.extra;
        try {
          context.extra.identity = await options.authenticate(credentialsOf(context.connectionParams));
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          socket.close(tokenCloseCode, `Unauthorized: ${error.message}`.slice(0, 120));
          return false;
        }
        const expiresAt = context.extra.identity?.expiresAt;
        if (expiresAt !== undefined)
          socket.once(
            'close',
            whenExpired(expiresAt, () => socket.close(tokenCloseCode, 'Token expired')),
          );
        return true;
      },
      onSubscribe: async (context, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const { socket, request, identity } = context.extra;
        const budget = rateLimitKey(request, identity);
        const retryAfter = await protection.rateLimiter(budget, 'request');
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
          const mutationRetry = await protection.rateLimiter(budget, 'mutation');
          if (mutationRetry !== undefined) {
            socket.close(rateLimitedCloseCode, `Too many mutations; retry after ${mutationRetry} s`);
            return badRequest('too many requests');
          }
        }
        const { document } = admitted;
        // Subscriptions are served by the engine, not by Apollo: they are authorized here (queries and
        // mutations are checked again by the gateway's plugin when they run).
        const refused = options.authorizer.check(document, payload.operationName, identity);
        if (refused) return [refused];
        const contextValue: SocketContext = {
          sendBuffer: webSocketSendBuffer(socket, request.socket, options.sendBufferBytes),
          identity,
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
  };
}
