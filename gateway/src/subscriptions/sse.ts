import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import { print } from 'graphql';
import { createHandler, type RequestParams } from 'graphql-sse';
import type { Request, RequestHandler, Response } from 'express';
import type { Identity } from '@io/auth/identity';
import { responseSendBuffer } from './send-buffer';
import {
  callerOf,
  holdStream,
  httpAdmission,
  publicErrors,
  streamRefusal,
  type HttpStreamOptions,
} from './http-streams';

/** What one stream's operation knows about its request (graphql-sse's request context). */
type StreamContext = {
  request: IncomingMessage;
  response: ServerResponse;
  identity: Identity | undefined;
  /** The Last-Event-ID the client reconnected with. */
  lastEventId: string | undefined;
  /** Event ids of the results handed to graphql-sse, in order: each `next` message is one of them. */
  eventIds: string[];
};

/**
 * GraphQL over Server-Sent Events (graphql-sse's protocol, distinct connections mode: one
 * operation per stream, GET with the operation in the query string or POST with a JSON body,
 * `Accept: text/event-stream`). Subscriptions are served by the same engine as graphql-ws; each
 * event carries its event id as the SSE `id:`, so a client that reconnects with `Last-Event-ID`
 * (an EventSource does so by itself) resumes right after the last event it got, within the resume
 * window, as the `after` argument would. Queries and mutations answer one `next`, then `complete`.
 */
export function serverSentEvents(options: HttpStreamOptions): RequestHandler {
  const admission = httpAdmission(options);
  const handler = createHandler<IncomingMessage, StreamContext, StreamContext>({
    schema: options.schema,
    // Only distinct connections: no stream reservations to hold between requests.
    authenticate: () => null,
    // The operation gate has validated the document with the same rules (and the limits).
    validate: () => [],
    onSubscribe: async (req, params: RequestParams) => {
      const context = req.context;
      const admitted = admission.gate(params);
      if (!('document' in admitted)) return { data: null, errors: publicErrors(admitted) as never };
      const refused = await admission.authorize(admitted, params, context.request, context.identity);
      if (refused) return { data: null, errors: publicErrors(refused) as never };
      const args: ExecutionArgs & { contextValue: StreamContext } = {
        schema: options.schema,
        document: admitted.document,
        variableValues: params.variables ?? {},
        operationName: params.operationName ?? undefined,
        contextValue: context,
      };
      return args;
    },
    subscribe: (args) => {
      const context = args.contextValue;
      return options.engine.subscribe(
        args,
        responseSendBuffer(context.response, options.sendBufferBytes),
        context.identity,
        { after: context.lastEventId, delivering: (eventId) => context.eventIds.push(eventId) },
      );
    },
    execute: async (args) => {
      const context = args.contextValue;
      const result = await options.execute(context.identity)(
        print(args.document),
        (args.variableValues ?? {}) as Record<string, unknown>,
      );
      return result as ExecutionResult;
    },
  });

  return async (request: Request, response: Response) => {
    const refusal = streamRefusal(options, request);
    if (refusal) {
      response.status(refusal.status).json(refusal.body);
      return;
    }
    const identity = callerOf(response);
    const context: StreamContext = {
      request,
      response,
      identity,
      lastEventId: request.get('last-event-id') || undefined,
      eventIds: [],
    };
    const [body, init] = await handler({
      method: request.method,
      url: request.originalUrl,
      headers: { get: (key) => request.get(key) },
      // express.json has parsed a JSON body; a GET carries the operation in the URL.
      body: () => Promise.resolve((request.body as Record<string, unknown> | undefined) ?? ''),
      raw: request,
      context,
    });
    response.writeHead(init.status ?? 200, init.statusText, init.headers as Record<string, string>);
    if (!body || typeof body === 'string') {
      response.end(body);
      return;
    }
    // The stream ends when its token does (its client must reconnect with a fresh one).
    holdStream(options, request, response, identity, () => response.end());
    response.once('close', () => void body.return(undefined));
    for await (const message of body) {
      if (response.writableEnded || response.destroyed) break;
      // Written at once, not awaited: the engine paces delivery by what the response holds (sendBuffer).
      const eventId = message.startsWith('event: next') ? context.eventIds.shift() : undefined;
      response.write(eventId === undefined ? message : `id: ${eventId}\n${message}`);
    }
    if (!response.writableEnded) response.end();
  };
}
