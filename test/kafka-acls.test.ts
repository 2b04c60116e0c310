import { AclOperationTypes, AclResourceTypes, ResourcePatternTypes, type AclEntry } from 'kafkajs';
import { topics } from '@io/events/catalog';
import { replayUsers } from '@io/registry';
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
  // The monitor writes its alerts and, as a consumer, dead letters: no topic another service owns.
  expect(allowed('monitor', AclOperationTypes.WRITE)).toEqual(prefixed(topics.alertRaised, topics.deadLetters));
  expect(allowed('gateway', AclOperationTypes.WRITE)).toEqual([]);
  // The forged event of issue 9: nobody but orders (and the replayer, replaying) may announce a cancellation.
  const writers = acls.filter(
    (acl) => acl.resourceName === `p.${topics.orderCancelled}` && acl.operation === AclOperationTypes.WRITE,
  );
  expect(writers.map((acl) => acl.principal).sort()).toEqual(['User:dead-letter-replayer', 'User:orders']);
});

test("the monitor's replays go out as a user of their own, which may write only the topics services' handlers consume", () => {
  expect(replayUsers).toEqual(['dead-letter-replayer']);
  expect(allowed('dead-letter-replayer', AclOperationTypes.WRITE)).toEqual(
    prefixed(
      topics.orderCreated,
      topics.orderCancelled,
      topics.orderProcessed,
      topics.orderStatusChanged,
      topics.stockLevelChanged,
      topics.deadLetters,
    ),
  );
  // Not the topics only the gateway's subscriptions read (a replayed event goes back to a consumer
  // group), and nothing but writes: it reads no topic and joins no group.
  expect(allowed('dead-letter-replayer', AclOperationTypes.WRITE)).not.toContain(`p.${topics.stockChanged}`);
  expect(acls.filter((acl) => acl.principal === 'User:dead-letter-replayer').map((acl) => acl.operation)).toEqual(
    Array(6).fill(AclOperationTypes.WRITE),
  );
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
