import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { GraphQLError } from 'graphql';

interface GraphQLErrorBody {
  errors: { message: string; extensions?: Record<string, unknown> }[];
}

const isGraphQLErrorBody = (body: unknown): body is GraphQLErrorBody =>
  typeof body === 'object' && body !== null && Array.isArray((body as GraphQLErrorBody).errors) && (body as GraphQLErrorBody).errors.length > 0;

/**
 * A subgraph answers 400 when a variable fails its scalar (a Decimal with three decimals, say).
 * The stock data source turns any non-2xx answer into an anonymous error that clients would see
 * as INTERNAL_SERVER_ERROR; this one passes the subgraph's own error (BAD_USER_INPUT) through.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource {
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const body = await this.parseBody(response.clone());
    if (response.status === 400 && isGraphQLErrorBody(body)) {
      const [first] = body.errors;
      return new GraphQLError(first.message, { extensions: { ...first.extensions, code: first.extensions?.code ?? 'BAD_USER_INPUT' } });
    }
    return super.errorFromResponse(response);
  }
}
