import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf } from '@io/graphql/fragments';

/** The `limit` a caller may ask of any list; the subgraphs clamp to their own maximum (500, 1000 for health history). */
const largestPage = 1000;
/** What a `limit` given by a variable counts as when the variables are not known (every subgraph's page cap). */
const pessimisticPage = 500;
/** What a list without a `limit` argument (an order's items, its history) counts as. */
const assumedListSize = 10;

/** The variables to size lists with, or `pessimistic` to count every variable `limit` as a full page. */
export type CostVariables = Record<string, unknown> | 'pessimistic';

/**
 * The cost of an operation: every field counts 1, and a list field counts its selection once per
 * item it may return — its `limit` argument (literal, variable or SDL default), else `assumedListSize`.
 * So `orders(limit: 500) { items { product { name } } }` costs 1 + 500 × (1 + 10 × (1 + 1)).
 * Linear in the document: each fragment's cost is computed once, however often it is spread.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: CostVariables,
): number {
  const fragments = fragmentsOf(document);
  const fragmentCosts = new Map<string, number>();

  const listSize = (field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const argument = node.arguments?.find((candidate) => candidate.name.value === 'limit');
    const definition = field.args.find((candidate) => candidate.name === 'limit');
    let size: unknown = definition?.defaultValue ?? assumedListSize;
    if (argument?.value.kind === Kind.INT) size = Number(argument.value.value);
    else if (argument?.value.kind === Kind.VARIABLE) {
      const given = variables === 'pessimistic' ? pessimisticPage : variables[argument.value.name.value];
      if (typeof given === 'number') size = given;
    }
    return typeof size === 'number' && Number.isFinite(size)
      ? Math.min(Math.max(size, 0), largestPage)
      : assumedListSize;
  };

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        if (!field) {
          total += 1; // __typename, or a field the other rules report as unknown
          continue;
        }
        const type = getNamedType(field.type);
        const childCost =
          selection.selectionSet && isCompositeType(type) ? selectionCost(selection.selectionSet, type) : 0;
        total += 1 + (isListType(getNullableType(field.type)) ? listSize(field, selection) : 1) * childCost;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += selectionCost(selection.selectionSet, type);
      } else {
        total += fragmentCost(fragments.get(selection.name.value));
      }
    }
    return total;
  };

  const fragmentCost = (fragment: FragmentDefinitionNode | undefined): number => {
    if (!fragment) return 0;
    const known = fragmentCosts.get(fragment.name.value);
    if (known !== undefined) return known;
    fragmentCosts.set(fragment.name.value, 0); // a cycle (refused by NoFragmentCycles) must not recurse forever
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = type && isCompositeType(type) ? selectionCost(fragment.selectionSet, type) : 0;
    fragmentCosts.set(fragment.name.value, cost);
    return cost;
  };

  const root = schema.getRootType(operation.operation);
  return root ? selectionCost(operation.selectionSet, root) : 0;
}
