import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type AclEntry,
} from 'kafkajs';
import { consumerGroupPrefix } from '@io/kafka/topics';
import { replayUserOf, services } from '@io/registry';
import { consumersByTopic, producersByTopic } from '../event-flow';

/**
 * What each service's Kafka user may do, derived from the code (scripts/event-flow.ts: the
 * catalog's producers, the consumers' handlers and the gateway's subscriptions) and the registry,
 * never written by hand. For an environment's topic prefix:
 * - WRITE on the topics it produces, READ on the topics it consumes;
 * - READ on its own consumer groups (`<prefix><service>-...`, lib/kafka/topics.ts);
 * - for a service that describes Kafka (the monitor's kafkaStats): DESCRIBE on the environment's
 *   topics and groups;
 * - for the service that replays dead letters (the monitor): its replayer user (the registry's
 *   `replaysDeadLetters.kafkaUser`, not the service's own) may WRITE the topics services' handlers
 *   consume, where a replayed message goes back, and nothing else. The service's own user writes
 *   only what it owns, so its everyday producer cannot forge another service's event.
 * Everything else is refused: the broker runs with allow.everyone.if.no.acl.found=false. The
 * principal is `User:<service name>`, or `User:<replayer>`.
 */
export function aclsFor(prefix: string): AclEntry[] {
  const consumers = consumersByTopic();
  const producers = producersByTopic(consumers);
  const allow = (
    user: string,
    resourceType: AclResourceTypes,
    resourceName: string,
    resourcePatternType: ResourcePatternTypes,
    operation: AclOperationTypes,
  ): AclEntry => ({
    principal: `User:${user}`,
    host: '*',
    permissionType: AclPermissionTypes.ALLOW,
    resourceType,
    resourceName,
    resourcePatternType,
    operation,
  });
  const topic = (user: string, name: string, operation: AclOperationTypes) =>
    allow(user, AclResourceTypes.TOPIC, `${prefix}${name}`, ResourcePatternTypes.LITERAL, operation);
  const writes = [...producers].flatMap(([name, writers]) =>
    writers.map((service) => topic(service, name, AclOperationTypes.WRITE)),
  );
  const reads = [...consumers].flatMap(([name, readers]) =>
    [...new Set(readers.map((reader) => reader.service))].map((service) =>
      topic(service, name, AclOperationTypes.READ),
    ),
  );
  const consumingServices = [...new Set([...consumers.values()].flat().map((consumer) => consumer.service))];
  const groups = consumingServices.map((service) =>
    allow(
      service,
      AclResourceTypes.GROUP,
      consumerGroupPrefix(prefix, service),
      ResourcePatternTypes.PREFIXED,
      AclOperationTypes.READ,
    ),
  );
  // Kafka refuses an empty prefix pattern; with no prefix the environment is the whole broker.
  const everything: [string, ResourcePatternTypes] =
    prefix === '' ? ['*', ResourcePatternTypes.LITERAL] : [prefix, ResourcePatternTypes.PREFIXED];
  const describers = services.flatMap((entry) =>
    'describesKafka' in entry && entry.describesKafka
      ? [AclResourceTypes.TOPIC, AclResourceTypes.GROUP].map((type) =>
          allow(entry.name, type, ...everything, AclOperationTypes.DESCRIBE),
        )
      : [],
  );
  // A replayed dead letter goes back, unchanged, to the topic it was consumed from.
  const replayable = [...consumers]
    .filter(([, readers]) => readers.some((reader) => !reader.subscription))
    .map(([name]) => name);
  const replayers = services.flatMap((entry) => {
    const replayer = replayUserOf(entry);
    return replayer ? replayable.map((name) => topic(replayer, name, AclOperationTypes.WRITE)) : [];
  });
  return [...writes, ...reads, ...groups, ...describers, ...replayers];
}

/** Creates the environment's ACLs as the admin; creating an ACL that exists changes nothing, so this runs at every setup. */
export async function ensureAcls(admin: Admin, prefix: string): Promise<number> {
  const acl = aclsFor(prefix);
  await admin.createAcls({ acl });
  return acl.length;
}

/** Deletes exactly the environment's ACLs (a test's, when its topics go). */
export async function removeAcls(admin: Admin, prefix: string): Promise<void> {
  await admin.deleteAcls({ filters: aclsFor(prefix) });
}
