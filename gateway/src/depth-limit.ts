import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { fragmentsOf } from '@io/graphql/fragments';

const maxQueryDepth = 12;

function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD)
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, fragments, seen));
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      deepest = Math.max(deepest, depthOf(selection.selectionSet, fragments, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      deepest = Math.max(deepest, depthOf(fragments[selection.name.value]?.selectionSet, fragments, seen));
      seen.delete(selection.name.value);
    }
  }
  return deepest;
}

/** Refuses operations nested deeper than `limit` fields, over HTTP and WebSocket alike. */
export function depthLimitRule(limit = maxQueryDepth) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = Object.fromEntries(fragmentsOf(context.getDocument()));
    return {
      OperationDefinition(operation) {
        const depth = depthOf(operation.selectionSet, fragments, new Set());
        if (depth > limit) {
          context.reportError(
            new GraphQLError(`operation is ${depth} levels deep; the limit is ${limit}`, {
              nodes: [operation],
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
            }),
          );
        }
      },
    };
  };
}
