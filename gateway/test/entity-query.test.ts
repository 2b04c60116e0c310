import { getOperationAST, parse, print, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { buildEntityQuery, collectFieldNodes } from '../src/subscriptions/entity-query';

function entityQueryFor(subscription: string): string {
  const document = parse(subscription);
  const operation = getOperationAST(document) as OperationDefinitionNode;
  const root = operation.selectionSet.selections[0] as FieldNode;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === 'FragmentDefinition' ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const entityNodes = collectFieldNodes(root.selectionSet!, fragments).filter((node) => node.name.value === 'order');
  return print(buildEntityQuery(document, operation, entityNodes, 'order'));
}

test('the subscriber selection of the entity becomes a query by key, keeping aliases, fragments and the variables it uses', () => {
  const query = entityQueryFor(`
    subscription ($orderId: ID, $limit: Int, $unused: String) {
      orderStatusChanged(orderId: $orderId) {
        to
        ... on OrderStatusChangedEvent { current: order { ...OrderParts } }
        order { items { quantity } }
      }
    }
    fragment OrderParts on Order { status history(limit: $limit) { to } }
    fragment Unrelated on Order { id }`);

  expect(query).toBe(
    print(
      parse(`
    query SubscriptionEntity($__entityKey: ID!, $limit: Int) {
      current: order(id: $__entityKey) { ...OrderParts }
      order: order(id: $__entityKey) { items { quantity } }
    }
    fragment OrderParts on Order { status history(limit: $limit) { to } }`),
    ),
  );
});
