import {
  Kind,
  OperationTypeNode,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { fragmentsOf } from '@io/graphql/fragments';

/** The key variable of the entity query; the `__` prefix keeps it apart from client variables. */
export const keyVariable = '__entityKey';

/** Every field node of a selection set, looking through inline fragments and fragment spreads. */
export function collectFieldNodes(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return collectFieldNodes(selection.selectionSet, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? collectFieldNodes(fragment.selectionSet, fragments) : [];
  });
}

function namesUsed(node: object, kind: typeof Kind.VARIABLE | typeof Kind.FRAGMENT_SPREAD): Set<string> {
  const names = new Set<string>();
  visit(node as never, {
    [kind]: (found: { name: { value: string } }) => {
      names.add(found.name.value);
    },
  });
  return names;
}

/**
 * Turns a subscriber's selection of the payload's entity field (e.g. `order { status items {...} }`)
 * into a query the gateway can plan across subgraphs: `query ($__entityKey: ID!) { order: order(id: $__entityKey) { ... } }`,
 * keeping each alias, the fragments and only the variables that selection uses.
 */
export function buildEntityQuery(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  entityNodes: FieldNode[],
  queryField: string,
): DocumentNode {
  const allFragments = fragmentsOf(document);
  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: entityNodes.map((node) => ({
      kind: Kind.FIELD,
      alias: { kind: Kind.NAME, value: node.alias?.value ?? node.name.value },
      name: { kind: Kind.NAME, value: queryField },
      arguments: [
        {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: 'id' },
          value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
        },
      ],
      directives: node.directives,
      selectionSet: node.selectionSet,
    })),
  };
  const fragments: FragmentDefinitionNode[] = [];
  const pending = [...namesUsed(selectionSet, Kind.FRAGMENT_SPREAD)];
  while (pending.length > 0) {
    const fragment = allFragments.get(pending.pop()!);
    if (!fragment || fragments.includes(fragment)) continue;
    fragments.push(fragment);
    pending.push(...namesUsed(fragment, Kind.FRAGMENT_SPREAD));
  }
  const variablesUsed = new Set([
    ...namesUsed(selectionSet, Kind.VARIABLE),
    ...fragments.flatMap((fragment) => [...namesUsed(fragment, Kind.VARIABLE)]),
  ]);
  const keyDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: keyVariable } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  return {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: OperationTypeNode.QUERY,
        name: { kind: Kind.NAME, value: 'SubscriptionEntity' },
        variableDefinitions: [
          keyDefinition,
          ...(operation.variableDefinitions ?? []).filter((definition) =>
            variablesUsed.has(definition.variable.name.value),
          ),
        ],
        selectionSet,
      },
      ...fragments,
    ],
  };
}
