import type { ExecuteGraphQL } from '../execute';
import { restErrorFor, type InputSource } from './graphql-errors';

/**
 * Runs one GraphQL operation for a route. Any error fails the whole request: a REST client gets the
 * complete representation or an error, never a half-filled object.
 */
export async function runOperation<T = Record<string, any>>(
  execute: ExecuteGraphQL, query: string, variables: Record<string, unknown>, source: InputSource = 'query',
): Promise<T> {
  const result = await execute(query, variables);
  if (result.errors?.length) throw restErrorFor(result.errors, source);
  if (!result.data) throw new Error('GraphQL operation returned neither data nor errors');
  return result.data as T;
}
