import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { fetch, type Dispatcher } from 'undici';
import { hopHeader } from '@io/auth/hop';
import type { Identity } from '@io/auth/identity';
import type { GatewayContext } from './auth/context';

interface GraphQLErrorBody {
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

const isGraphQLErrorBody = (body: unknown): body is GraphQLErrorBody =>
  typeof body === 'object' &&
  body !== null &&
  Array.isArray((body as GraphQLErrorBody).errors) &&
  (body as GraphQLErrorBody).errors.length > 0;

/**
 * How the gateway talks to a subgraph, with two corrections to the stock data source, which turns
 * every failure into an anonymous error that clients would see as INTERNAL_SERVER_ERROR:
 * - a subgraph answers 400 when a variable fails its scalar (a Decimal with three decimals, say):
 *   its own error (BAD_USER_INPUT) is passed through;
 * - a subgraph that does not answer at all is reported as SERVICE_UNAVAILABLE, naming it.
 * Every request carries the caller's identity, signed for this hop (`sign`): subgraphs refuse
 * requests without it.
 * Requests go through `dispatcher` (the gateway's keep-alive pool, see subgraph-agent.ts) instead
 * of the stock fetcher, make-fetch-happen, whose per-request option handling and agent lookup
 * (it builds an Error and its stack on every request) cost more CPU than the rest of the gateway.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    dispatcher: Dispatcher,
    private readonly sign: (identity: Identity | null) => string,
  ) {
    super({ url, fetcher: ((input, init) => fetch(input, { ...init, dispatcher } as never)) as Fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    request.http?.headers.set(hopHeader, this.sign((context as GatewayContext | undefined)?.identity ?? null));
  }

  /** A subgraph that cannot be reached is reported as such (503 over REST), not as an anonymous internal error. */
  override didEncounterError(error: Error): void {
    if (error instanceof GraphQLError) throw error;
    throw new GraphQLError(`the ${this.subgraphName} service is unavailable; try again shortly`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', service: this.subgraphName },
    });
  }

  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ): Promise<GraphQLError> {
    const body = await this.parseBody(response.clone());
    if (response.status === 400 && isGraphQLErrorBody(body)) {
      const [first] = body.errors;
      return new GraphQLError(first.message, {
        extensions: { ...first.extensions, code: first.extensions?.code ?? 'BAD_USER_INPUT' },
      });
    }
    return super.errorFromResponse(response);
  }
}
