import { catalogEvents } from '@io/events/catalog';
import type { EventHandler } from '@io/kafka/consumer';
import { fromProjectRoot } from '@io/project-root';
import { compiledPath, serviceNames, services, subgraphs, type ServiceName } from '@io/registry';
import { subscriptionFields } from '../gateway/src/subscriptions/fields';

/**
 * Who writes and who reads each topic, from the code itself: the event catalog names each
 * topic's producer; the consumers are every service's handlers and the gateway's subscription
 * fields. docs/events.md and the Kafka ACLs (scripts/kafka/acls.ts) are both derived from this.
 */
export interface TopicConsumer {
  service: ServiceName;
  /** The gateway's subscription field that delivers the topic's events; none for a service's handlers. */
  subscription?: string;
}

/** A module the registry names, from its source (tsx, ts-jest) or its compiled twin in dist/ (`npm run setup` in a container). */
function requireRegistered(module: string): Record<string, unknown> {
  const runningCompiled = __filename.endsWith('.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
  return require(fromProjectRoot(runningCompiled ? compiledPath(`${module}.ts`) : module)) as Record<string, unknown>;
}

const gatewayName = services.find((entry) => entry.kind === 'gateway')!.name;

/** Who consumes each topic: the services' handlers (built without a database; nothing runs) and the gateway's subscriptions. */
export function consumersByTopic(): Map<string, TopicConsumer[]> {
  const none = undefined as never;
  const consumers = new Map<string, TopicConsumer[]>();
  const add = (topic: string, consumer: TopicConsumer) =>
    consumers.set(topic, [...(consumers.get(topic) ?? []), consumer]);
  for (const entry of subgraphs) {
    const module = requireRegistered(entry.eventHandlers.module) as Record<
      string,
      (...deps: never[]) => EventHandler<unknown>[]
    >;
    for (const handler of module[entry.eventHandlers.export](none, none))
      add(handler.event.topic, { service: entry.name });
  }
  for (const [field, subscription] of Object.entries(subscriptionFields))
    add(subscription.event.topic, { service: gatewayName, subscription: field });
  return consumers;
}

/** The catalog's word for a topic every consumer group writes to (the dead letters). */
const everyConsumer = 'every consumer';

/**
 * Who may write each topic: the producer the catalog names, or for "every consumer" every service
 * whose handlers consume (lib/kafka/consumer dead-letters for them). A producer the registry does
 * not know is an error, not a topic nobody may write.
 */
export function producersByTopic(consumers = consumersByTopic()): Map<string, ServiceName[]> {
  const handlerServices = [
    ...new Set([...consumers.values()].flat().flatMap((consumer) => (consumer.subscription ? [] : [consumer.service]))),
  ];
  return new Map(
    catalogEvents.map((definition) => {
      const { producer } = definition.about;
      if (producer === everyConsumer) return [definition.topic, handlerServices];
      const service = serviceNames.find((name) => name === producer);
      if (!service)
        throw new Error(
          `the event catalog names "${producer}" as the producer of ${definition.topic}: no such service`,
        );
      return [definition.topic, [service]];
    }),
  );
}
