import type { ExecuteGraphQL } from '../execute';
import type { TypedDocumentString } from '../__generated__/rest/graphql';
import { restErrorFor, type InputSource } from './graphql-errors';

/** A REST route's operation: one of the documents in `<service>/operations.ts`, typed by codegen against the supergraph. */
export type RestDocument<TResult, TVariables> = TypedDocumentString<TResult, TVariables>;

/**
 * Runs one GraphQL operation for a route. Any error fails the whole request: a REST client gets the
 * complete representation or an error, never a half-filled object.
 * The variables are checked against the document's (`NoInfer`: the document alone says what they are).
 */
export async function runOperation<TResult, TVariables extends Record<string, unknown>>(
  execute: ExecuteGraphQL,
  document: RestDocument<TResult, TVariables>,
  variables: NoInfer<TVariables>,
  source: InputSource = 'query',
): Promise<TResult> {
  const result = await execute(document.toString(), variables);
  if (result.errors?.length) throw restErrorFor(result.errors, source);
  if (!result.data) throw new Error('GraphQL operation returned neither data nor errors');
  // The gateway validated the operation against the supergraph the types were generated from.
  return result.data as TResult;
}
