import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { OperationLimits } from '.';

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/** The one shape of every limit refusal: a validation error naming the limit it broke. */
export function limitError(limit: LimitName, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit } });
}

/** GraphQL Armor throws out of `validate` by default; report into the validation context instead. */
function reportAs(limit: LimitName) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(limitError(limit, error.message.replace(/^Syntax Error: /, ''))),
    ],
  };
}

/**
 * GraphQL Armor's depth, alias and directive limits as validation rules. Each walks a fragment
 * once however often it is spread (the hand-written depth check it replaces walked it at every
 * spread: 25 chained fragments took seconds). Aliases of `__typename` count like any other.
 */
export function limitRules(limits: OperationLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...reportAs('depth') }),
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...reportAs('aliases') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('directives') }),
  ] as ValidationRule[];
}
