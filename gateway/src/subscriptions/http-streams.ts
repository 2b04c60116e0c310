import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { Identity } from '@io/auth/identity';
import type { Logger } from '@io/logger';
import type { Authorizer } from '../auth/authorize';
import type { ExecuteAs } from '../execute';
import { operationGate } from '../limits/operation-gate';
import { originAllowed } from '../protection';
import { rateLimitKey } from '../rate-limit/key';
import type { ConnectionSlots } from './connection-slots';
import type { SubscriptionEngine } from './engine';
import { whenExpired } from './token-expiry';
import type { SocketProtection } from './ws-server';

/** What the HTTP subscription transports (Server-Sent Events, multipart) share with graphql-ws. */
export interface HttpStreamOptions {
  schema: GraphQLSchema;
  engine: SubscriptionEngine;
  /** Queries and mutations sent over a stream run through the gateway as the stream's caller. */
  execute: ExecuteAs;
  authorizer: Authorizer;
  protection: SocketProtection;
  slots: ConnectionSlots;
  sendBufferBytes: number;
  /** How to end each open stream, for the gateway's shutdown. */
  openStreams: Set<() => void>;
  logger: Logger;
}

export interface GraphQLParams {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface Admitted {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** The caller `authenticateRequests` identified (a token that failed was answered 401 before). */
export const callerOf = (response: ServerResponse & { locals?: Record<string, unknown> }) =>
  response.locals?.identity as Identity | undefined;

/**
 * The checks graphql-ws applies to an operation (ws-server.ts's onSubscribe), for one that came
 * over HTTP: the operation gate (token, depth, alias and cost limits, variables), the mutation
 * budget, and authorization for this caller. The request budget was charged by the /graphql route.
 */
export function httpAdmission(options: HttpStreamOptions) {
  const admit = operationGate(options.schema, options.protection.operations);
  return {
    /** Parse, validation and cost only: tells a subscription from a query without touching budgets. */
    gate: (params: GraphQLParams) => admit(params.query, params.variables, params.operationName),
    authorize: async (
      admitted: Admitted,
      params: GraphQLParams,
      request: IncomingMessage,
      identity: Identity | undefined,
    ): Promise<readonly GraphQLError[] | undefined> => {
      if (admitted.operation.operation === 'mutation') {
        const retryAfter = await options.protection.rateLimiter(rateLimitKey(request, identity), 'mutation');
        if (retryAfter !== undefined)
          return [
            new GraphQLError(`too many requests; retry after ${retryAfter} s`, {
              extensions: { code: 'RATE_LIMITED', retryAfter },
            }),
          ];
      }
      const refused = options.authorizer.check(admitted.document, params.operationName ?? undefined, identity);
      return refused ? [refused] : undefined;
    },
  };
}

/** Why a stream may not open (origin, connection caps), as a status and a GraphQL error body; undefined: it may. */
export function streamRefusal(
  options: HttpStreamOptions,
  request: IncomingMessage,
): { status: number; body: { errors: { message: string; extensions: { code: string } }[] } } | undefined {
  const refuse = (status: number, message: string, code: string) => ({
    status,
    body: { errors: [{ message, extensions: { code } }] },
  });
  if (!originAllowed(request.headers.origin, request, options.protection.allowedOrigins))
    return refuse(403, 'Origin not allowed', 'FORBIDDEN');
  if (options.slots.full() || options.slots.addressFull(rateLimitKey(request)))
    return refuse(429, 'Too many connections from this address', 'RATE_LIMITED');
  return undefined;
}

/** Why the gateway ends a stream: its caller's token ran out, or the gateway is stopping. */
export type StreamEnd = 'token expired' | 'shutting down';

/**
 * Holds a connection slot for the response's lifetime, and ends the response (through `end`,
 * which writes the transport's last words) when the caller's token expires or the gateway stops.
 */
export function holdStream(
  options: HttpStreamOptions,
  request: IncomingMessage,
  response: ServerResponse,
  identity: Identity | undefined,
  end: (reason: StreamEnd) => void,
): void {
  const release = options.slots.take(rateLimitKey(request));
  const cancel =
    identity?.expiresAt === undefined ? () => undefined : whenExpired(identity.expiresAt, () => end('token expired'));
  const stop = () => end('shutting down');
  options.openStreams.add(stop);
  response.once('close', () => {
    options.openStreams.delete(stop);
    cancel();
    release();
  });
}

/** A refusal's HTTP status: the one authorization set (extensions.http, as Apollo reads it), else by code. */
export function statusOf(errors: readonly GraphQLError[]): number {
  const { code, http } = errors[0]?.extensions ?? {};
  const status = (http as { status?: number } | undefined)?.status;
  if (status) return status;
  return code === 'RATE_LIMITED' ? 429 : 400;
}

/** Errors as a client sees them: Apollo's `http` extension is for the server only, as Apollo drops it. */
export const publicErrors = (errors: readonly GraphQLError[]) =>
  errors.map((error) => {
    const { http: _http, ...extensions } = error.extensions;
    return { ...error.toJSON(), extensions };
  });
