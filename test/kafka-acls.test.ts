import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { aclsFor } from '../scripts/kafka/acls';

/** The ACLs are derived from the event flow (catalog producers, handlers, subscriptions) and the registry. */
const acls = aclsFor('p.');

const allowed = (principal: string, operation: AclOperationTypes, resourceType = AclResourceTypes.TOPIC) =>
  acls
    .filter(
      (acl: AclEntry) =>
        acl.principal === `User:${principal}` && acl.operation === operation && acl.resourceType === resourceType,
    )
    .map((acl) => acl.resourceName)
    .sort();

const prefixed = (...names: string[]) => names.map((name) => `p.${name}`).sort();

test('each service may write only the topics the catalog says it produces (and the dead letters, as a consumer)', () => {
  expect(allowed('orders', AclOperationTypes.WRITE)).toEqual(
    prefixed(topics.orderCreated, topics.orderCancelled, topics.orderStatusChanged, topics.deadLetters),
  );
  expect(allowed('inventory', AclOperationTypes.WRITE)).toEqual(
    prefixed(topics.orderProcessed, topics.stockChanged, topics.stockLevelChanged, topics.deadLetters),
  );
  // The monitor also replays dead letters, back to the topics services consume.
  expect(allowed('monitor', AclOperationTypes.WRITE)).toEqual(
    prefixed(
      topics.alertRaised,
      topics.deadLetters,
      topics.orderCreated,
      topics.orderCancelled,
      topics.orderProcessed,
      topics.orderStatusChanged,
      topics.stockLevelChanged,
    ),
  );
  expect(allowed('gateway', AclOperationTypes.WRITE)).toEqual([]);
  // The forged event of issue 9: nobody but orders (and the monitor, replaying) may announce a cancellation.
  const writers = acls.filter(
    (acl) => acl.resourceName === `p.${topics.orderCancelled}` && acl.operation === AclOperationTypes.WRITE,
  );
  expect(writers.map((acl) => acl.principal).sort()).toEqual(['User:monitor', 'User:orders']);
});

test('each service may read the topics its handlers or subscriptions consume, and its own consumer groups', () => {
  expect(allowed('inventory', AclOperationTypes.READ)).toEqual(prefixed(topics.orderCreated, topics.orderCancelled));
  expect(allowed('orders', AclOperationTypes.READ)).toEqual(prefixed(topics.orderProcessed));
  expect(allowed('gateway', AclOperationTypes.READ)).toEqual(
    prefixed(topics.orderStatusChanged, topics.stockChanged, topics.alertRaised),
  );
  for (const service of ['inventory', 'orders', 'monitor', 'gateway']) {
    const groups = acls.filter(
      (acl) =>
        acl.principal === `User:${service}` &&
        acl.resourceType === AclResourceTypes.GROUP &&
        acl.operation === AclOperationTypes.READ,
    );
    expect(groups).toEqual([
      expect.objectContaining({
        resourceName: `p.${service}-`,
        resourcePatternType: ResourcePatternTypes.PREFIXED,
        operation: AclOperationTypes.READ,
      }),
    ]);
  }
});

test("only the monitor may describe the environment's topics and groups (kafkaStats); without a prefix, all of them", () => {
  const describe = acls.filter((acl) => acl.operation === AclOperationTypes.DESCRIBE);
  expect(describe.map((acl) => [acl.principal, acl.resourceType, acl.resourceName, acl.resourcePatternType])).toEqual([
    ['User:monitor', AclResourceTypes.TOPIC, 'p.', ResourcePatternTypes.PREFIXED],
    ['User:monitor', AclResourceTypes.GROUP, 'p.', ResourcePatternTypes.PREFIXED],
  ]);
  const unprefixed = aclsFor('').filter((acl) => acl.operation === AclOperationTypes.DESCRIBE);
  expect(unprefixed.map((acl) => [acl.resourceName, acl.resourcePatternType])).toEqual([
    ['*', ResourcePatternTypes.LITERAL],
    ['*', ResourcePatternTypes.LITERAL],
  ]);
});
