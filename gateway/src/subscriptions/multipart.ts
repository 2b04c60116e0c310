import type { ExecutionResult } from 'graphql';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { responseSendBuffer } from './send-buffer';
import {
  callerOf,
  holdStream,
  httpAdmission,
  publicErrors,
  statusOf,
  streamRefusal,
  type GraphQLParams,
  type HttpStreamOptions,
} from './http-streams';

/** Apollo's clients put `subscriptionSpec=1.0` (quoted or not) in the multipart/mixed media range they accept. */
const acceptsMultipartSubscription = (accept: string | undefined) =>
  accept !== undefined && /multipart\/mixed[^,]*subscriptionSpec="?1\.0"?/i.test(accept);

const boundary = 'graphql';
const partHeader = '\r\ncontent-type: application/json; charset=utf-8\r\n\r\n';
/** A part (opened by the delimiter written before it), then the delimiter that ends it. */
const part = (json: string) => `${partHeader}${json}\r\n--${boundary}`;

/** Apollo Router sends a heartbeat part (`{}`) every 5 s, so proxies do not close an idle stream. */
const heartbeatMs = 5000;

/**
 * Subscriptions over Apollo's multipart HTTP protocol (what Apollo Client's HttpLink, Apollo Kotlin
 * and iOS, and Apollo Router speak): a POST to /graphql with `Accept: multipart/mixed;
 * subscriptionSpec="1.0"` gets a `multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"`
 * response, one JSON part per event wrapped as `{"payload": result}`, `{}` heartbeats, and a final
 * `{"payload": null, "errors": [...]}` when the stream ends for a reason of the transport (token
 * expired, shutdown). Same engine, limits and filtering as graphql-ws. Anything else (queries,
 * mutations, operations the gate refuses) goes on to Apollo, which answers as usual.
 */
export function multipartSubscriptions(options: HttpStreamOptions): RequestHandler {
  const admission = httpAdmission(options);
  return async (request: Request, response: Response, next: NextFunction) => {
    const params = request.body as Partial<GraphQLParams> | undefined;
    if (
      request.method !== 'POST' ||
      !acceptsMultipartSubscription(request.get('accept')) ||
      typeof params?.query !== 'string'
    ) {
      next();
      return;
    }
    const admitted = admission.gate(params as GraphQLParams);
    if (!('document' in admitted) || admitted.operation.operation !== 'subscription') {
      next();
      return;
    }
    const identity = callerOf(response);
    const refused = await admission.authorize(admitted, params as GraphQLParams, request, identity);
    if (refused) {
      response.status(statusOf(refused)).json({ errors: publicErrors(refused) });
      return;
    }
    const refusal = streamRefusal(options, request);
    if (refusal) {
      response.status(refusal.status).json(refusal.body);
      return;
    }
    const results = options.engine.subscribe(
      {
        schema: options.schema,
        document: admitted.document,
        variableValues: params.variables ?? {},
        operationName: params.operationName ?? undefined,
      },
      responseSendBuffer(response, options.sendBufferBytes),
      identity,
    );
    if (!(Symbol.asyncIterator in results)) {
      // Refused by the engine (an `after` outside the resume window): an ordinary GraphQL answer.
      response.status(400).json(results);
      return;
    }
    response.writeHead(200, {
      'content-type': `multipart/mixed; boundary="${boundary}"; subscriptionSpec="1.0"`,
      'cache-control': 'no-cache',
    });
    response.write(`\r\n--${boundary}`);
    const end = (errors?: { message: string; extensions: { code: string } }[]) => {
      if (response.writableEnded) return;
      if (errors) response.write(part(JSON.stringify({ payload: null, errors })));
      response.end(`--\r\n`);
    };
    const heartbeat = setInterval(() => response.write(part('{}')), heartbeatMs);
    holdStream(options, request, response, identity, (reason) => {
      const code = reason === 'token expired' ? 'UNAUTHENTICATED' : 'SHUTTING_DOWN';
      end([
        {
          message: reason === 'token expired' ? 'Token expired' : 'The gateway is shutting down',
          extensions: { code },
        },
      ]);
    });
    response.once('close', () => {
      clearInterval(heartbeat);
      void results.return?.();
    });
    try {
      for await (const result of results as AsyncIterable<ExecutionResult>) {
        if (response.writableEnded) break;
        // Written at once: the engine paces delivery by what the response holds (sendBuffer).
        response.write(part(JSON.stringify({ payload: result })));
      }
      end();
    } catch (error) {
      options.logger.error({ err: error }, 'multipart subscription failed');
      end([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    }
  };
}
