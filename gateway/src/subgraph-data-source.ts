import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { isBrokenCircuitError, type CircuitBreakerPolicy } from 'cockatiel';
import { GraphQLError } from 'graphql';
import type { Dispatcher } from 'undici';
import { hopHeader } from '@io/auth/hop';
import type { Identity } from '@io/auth/identity';
import type { GatewayContext } from './auth/context';
import { SubgraphAway } from './subgraph-breaker';

type GatewayGraphQLResponse = Awaited<ReturnType<GraphQLDataSource['process']>>;

interface SubgraphError {
  message: string;
  extensions?: Record<string, unknown>;
}

const hasErrors = (body: unknown): body is { errors: SubgraphError[] } =>
  typeof body === 'object' &&
  body !== null &&
  Array.isArray((body as { errors?: unknown }).errors) &&
  (body as { errors: unknown[] }).errors.length > 0;

const isGraphQLResponse = (body: unknown): body is GatewayGraphQLResponse =>
  typeof body === 'object' && body !== null && ('data' in body || 'errors' in body);

// What a subgraph's refusal means to the client; anything else it answers is the gateway's problem.
const codeForStatus: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };
// A proxy in between or a subgraph that is draining: it is away, not broken.
const unavailableStatuses = new Set([502, 503, 504]);

const timeoutCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const timedOut = (error: unknown) => timeoutCodes.has((error as { code?: string }).code ?? '');

/** A body that is not JSON (an HTML error page, say) is no GraphQL answer: undefined. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * How the gateway talks to one subgraph: a POST of the fetch's operation over the gateway's
 * keep-alive pool (`dispatcher`, see subgraph-agent.ts), using undici's request API directly.
 * Apollo's RemoteGraphQLDataSource goes through a WHATWG fetch (Request, Headers, web streams,
 * an AbortSignal per call), which cost the gateway more CPU than planning and shaping the result.
 * It also corrects two of that data source's answers, which clients would see as an anonymous
 * INTERNAL_SERVER_ERROR:
 * - a subgraph answers 400 when a variable fails its scalar (a Decimal with three decimals, say):
 *   its own error (BAD_USER_INPUT) is passed through;
 * - a subgraph that does not answer at all is reported as SERVICE_UNAVAILABLE, naming it.
 * It bounds the wait: no answer's headers within `timeoutMs` (or a body that stalls that long) is
 * SERVICE_UNAVAILABLE too, and repeated failures open the subgraph's circuit (`breaker`, see
 * subgraph-breaker.ts), which then fails fast. undici's own timers bound the request: an
 * AbortSignal per call would cost what the WHATWG fetch cost.
 * Every request carries the caller's identity, signed for this hop (`sign`, see lib/auth/hop.ts):
 * subgraphs refuse requests without it.
 */
export class SubgraphDataSource implements GraphQLDataSource<GatewayContext> {
  private readonly origin: string;
  private readonly path: string;

  constructor(
    private readonly subgraphName: string,
    url: string,
    private readonly dispatcher: Dispatcher,
    private readonly sign: (identity: Identity | null) => string,
    private readonly timeoutMs: number,
    private readonly breaker: CircuitBreakerPolicy,
  ) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.path = `${parsed.pathname}${parsed.search}`;
  }

  async process({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const body = JSON.stringify({
      query: request.query,
      variables: request.variables,
      operationName: request.operationName,
    });
    const identity = (context as GatewayContext | undefined)?.identity ?? null;
    let answer: { statusCode: number; text: string };
    try {
      answer = await this.breaker.execute(() => this.post(body, identity));
    } catch (error) {
      if (isBrokenCircuitError(error)) throw this.unavailable('circuit-open');
      if (error instanceof SubgraphAway) throw this.unavailable(error.reason);
      throw error;
    }
    const payload = parseJson(answer.text);
    if (answer.statusCode < 300 && isGraphQLResponse(payload)) return payload;
    throw this.errorFor(answer.statusCode, payload);
  }

  /** One POST; SubgraphAway when the subgraph did not answer (the breaker counts those). */
  private async post(body: string, identity: Identity | null): Promise<{ statusCode: number; text: string }> {
    try {
      const response = await this.dispatcher.request({
        origin: this.origin,
        path: this.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          // Health checks and schema loading have no request context: they go as the anonymous caller.
          [hopHeader]: this.sign(identity),
        },
        body,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await response.body.text();
      if (unavailableStatuses.has(response.statusCode)) throw new SubgraphAway('unavailable');
      return { statusCode: response.statusCode, text };
    } catch (error) {
      if (error instanceof SubgraphAway) throw error;
      // Refused, reset or timed out: the cause is the subgraph being away, whatever the socket said.
      throw new SubgraphAway(timedOut(error) ? 'timeout' : 'unreachable');
    }
  }

  private unavailable(reason: SubgraphAway['reason'] | 'circuit-open'): GraphQLError {
    const why = {
      timeout: `did not answer within ${this.timeoutMs} ms`,
      unreachable: 'is unavailable',
      unavailable: 'is unavailable',
      'circuit-open': 'failed repeatedly and is not being called for a few seconds',
    }[reason];
    return new GraphQLError(`the ${this.subgraphName} service ${why}; try again shortly`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', service: this.subgraphName, reason },
    });
  }

  private errorFor(statusCode: number, payload: unknown): GraphQLError {
    if (statusCode === 400 && hasErrors(payload)) {
      const [first] = payload.errors;
      return new GraphQLError(first.message, {
        extensions: { ...first.extensions, code: first.extensions?.code ?? 'BAD_USER_INPUT' },
      });
    }
    return new GraphQLError(`the ${this.subgraphName} service answered HTTP ${statusCode}`, {
      extensions: { code: codeForStatus[statusCode] ?? 'INTERNAL_SERVER_ERROR', service: this.subgraphName },
    });
  }
}
