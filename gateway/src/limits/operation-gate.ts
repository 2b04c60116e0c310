import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { costChecker } from './cost-check';
import { limitRules } from './rules';
import type { OperationLimits } from '.';

export interface AdmittedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

/** The error as HTTP would answer it: the code Apollo gives that kind of error, unless it has one. */
const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, extensions: { code, ...error.extensions } });

type Checked = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * Every check an operation that arrives outside Apollo's HTTP pipeline (graphql-ws) must pass, in
 * the order Apollo applies them over HTTP: token limit while parsing, validation with the same
 * limit rules, cost with the request's variables, then the variables themselves. Parse and
 * validation results, refusals included, are cached per query text, so a repeated operation (or a
 * repeated attack) costs a map lookup.
 */
export function operationGate(schema: GraphQLSchema, limits: OperationLimits) {
  const checked = new LRUCache<string, Checked>({ max: 1000 });
  const rules = [...specifiedRules, ...limitRules(limits)];
  const withinCost = costChecker(limits.maxCost);

  const check = (query: string): Checked => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      return { errors: [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')] };
    }
    const errors = validate(schema, document, rules);
    return errors.length > 0
      ? { errors: errors.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')) }
      : { document };
  };

  return (
    query: string,
    variables: Record<string, unknown> | null | undefined,
    operationName: string | null | undefined,
  ): AdmittedOperation | readonly GraphQLError[] => {
    let result = checked.get(query);
    if (!result) {
      result = check(query);
      checked.set(query, result);
    }
    if ('errors' in result) return result.errors;
    const { document } = result;
    const operation = getOperationAST(document, operationName);
    if (!operation)
      return [
        new GraphQLError('no operation of that name in the document', { extensions: { code: 'BAD_USER_INPUT' } }),
      ];
    const tooCostly = withinCost(schema, document, operation, variables ?? undefined);
    if (tooCostly) return [tooCostly];
    // A missing or mistyped variable is refused now, not on every event the subscription would get.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
    if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
    return { document, operation };
  };
}
