import {
  execute, getOperationAST, GraphQLError, Kind, print, type ExecutionArgs, type ExecutionResult, type FieldNode,
  type FragmentDefinitionNode, type GraphQLFieldResolver, type GraphQLSchema,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import type { Logger } from '../../../lib/logger';
import type { ExecuteGraphQL, GraphQLResult } from '../execute';
import { buildEntityQuery, collectFieldNodes, keyVariable } from './entity-query';
import type { EventHub, HubEvent } from './event-hub';
import { subscriptionFields, type SubscriptionField } from './fields';
import { SubscriberQueue } from './subscriber-queue';

export interface SubscriptionEngineOptions {
  hub: EventHub;
  schema: GraphQLSchema;
  execute: ExecuteGraphQL;
  topicName: (topic: string) => string;
  queueSize: number;
  logger: Logger;
}

export interface SubscriptionStats {
  activeSubscriptions: number;
  hubListeners: number;
  droppedEvents: number;
  entityQueries: number;
}

/** One subscriber's prepared operation: everything that does not change from one event to the next. */
interface Prepared {
  field: SubscriptionField<unknown>;
  args: Record<string, unknown>;
  topic: string;
  entityQuery?: string;
  entityVariables: Record<string, unknown>;
  /** Subscribers with the same key get the same result for an event: it is resolved once. */
  cacheKey: string;
  executionArgs: ExecutionArgs;
}

/** Holds an event's own fields and the entities fetched for it while the subscriber's document is executed. */
class EventPayload {
  constructor(readonly local: Record<string, unknown>, readonly entities: GraphQLResult | undefined, readonly entityField: string) {}
}

/**
 * Serves the supergraph's Subscription fields from Kafka events. Per event, subscribers are
 * filtered by their arguments first; the remaining ones are grouped by (document, variables) and
 * each group's selection is filled once, through a federated query for the event's entity key.
 */
export class SubscriptionEngine {
  private active = 0;
  private dropped = 0;
  private entityQueries = 0;
  private readonly resolutions = new WeakMap<HubEvent, Map<string, Promise<ExecutionResult>>>();

  constructor(private readonly options: SubscriptionEngineOptions) {}

  stats(): SubscriptionStats {
    return { activeSubscriptions: this.active, hubListeners: this.options.hub.listenerCount(), droppedEvents: this.dropped, entityQueries: this.entityQueries };
  }

  subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    let prepared: Prepared;
    try {
      prepared = this.prepare(args);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    const { hub } = this.options;
    const after = prepared.args.after as string | undefined | null;
    const replay = after ? hub.eventsAfter(prepared.topic, after) : [];
    if (!replay) {
      return {
        errors: [new GraphQLError(`event ${after} is not within the resume window; subscribe without \`after\` (events since then may be missed)`, {
          extensions: { code: 'BAD_USER_INPUT', field: 'after' },
        })],
      };
    }
    let unlisten = () => undefined as void;
    this.active += 1;
    const queue = new SubscriberQueue<ExecutionResult>(this.options.queueSize, () => { this.dropped += 1; }, () => {
      unlisten();
      this.active -= 1;
    }, announceDropped);
    const deliver = (event: HubEvent) => {
      if (prepared.field.matches(prepared.args, event.envelope.data)) queue.push(this.resolve(event, prepared));
    };
    // Listening starts before the replay is read, in the same tick: no event falls between the two.
    unlisten = hub.listen(prepared.topic, deliver);
    for (const event of replay) deliver(event);
    return queue;
  }

  private prepare(args: ExecutionArgs): Prepared {
    const operation = getOperationAST(args.document, args.operationName);
    const subscriptionType = this.options.schema.getSubscriptionType();
    if (!operation || operation.operation !== 'subscription' || !subscriptionType) throw new GraphQLError('not a subscription operation');
    const [rootField] = operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD);
    const field = rootField && subscriptionFields[rootField.name.value];
    const fieldDefinition = rootField && subscriptionType.getFields()[rootField.name.value];
    if (!field || !fieldDefinition) throw new GraphQLError('unknown subscription field');
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldArgs = getArgumentValues(fieldDefinition, rootField, variables);
    const fragments = new Map(args.document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]));
    const entityNodes = rootField.selectionSet
      ? collectFieldNodes(rootField.selectionSet, fragments).filter((node) => node.name.value === field.entity.field)
      : [];
    const entityQuery = entityNodes.length > 0 ? print(buildEntityQuery(args.document, operation, entityNodes, field.entity.queryField)) : undefined;
    const entityVariables = Object.fromEntries(Object.entries(variables).filter(([name]) => entityQuery?.includes(`$${name}`)));
    return {
      field,
      args: fieldArgs,
      topic: this.options.topicName(field.event.topic),
      entityQuery,
      entityVariables,
      cacheKey: `${print(args.document)}\n${args.operationName ?? ''}\n${JSON.stringify(variables)}`,
      executionArgs: args,
    };
  }

  /** The subscriber's result for one event, shared by every subscriber with the same cache key. */
  private resolve(event: HubEvent, prepared: Prepared): Promise<ExecutionResult> {
    const forEvent = this.resolutions.get(event) ?? new Map<string, Promise<ExecutionResult>>();
    this.resolutions.set(event, forEvent);
    let result = forEvent.get(prepared.cacheKey);
    if (!result) {
      result = this.execute(event, prepared);
      forEvent.set(prepared.cacheKey, result);
    }
    return result;
  }

  private async execute(event: HubEvent, prepared: Prepared): Promise<ExecutionResult> {
    const { field } = prepared;
    let entities: GraphQLResult | undefined;
    if (prepared.entityQuery) {
      this.entityQueries += 1;
      entities = await this.options.execute(prepared.entityQuery, { ...prepared.entityVariables, [keyVariable]: field.entity.key(event.envelope.data) })
        .catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'subscription entity query failed');
          return { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        });
    }
    const payload = new EventPayload(field.local(event.envelope), entities, field.entity.field);
    return execute({ ...prepared.executionArgs, schema: this.options.schema, rootValue: payload, fieldResolver: resolveFromPayload });
  }
}

/**
 * A slow subscriber whose oldest events were dropped learns it with the next result it gets
 * (`extensions.droppedEvents`), so it can re-read the state instead of trusting a gapless stream.
 * Results are shared between subscribers, so the annotated one is a copy.
 */
const announceDropped = (result: ExecutionResult, dropped: number): ExecutionResult =>
  ({ ...result, extensions: { ...result.extensions, droppedEvents: dropped } });

/**
 * Field resolution when a subscriber's document is executed for an event: the root field yields
 * the payload, the payload answers its own fields from the event and its entity field from the
 * federated result, and below that every value is read by its response key (aliases included).
 */
const resolveFromPayload: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (info.parentType === info.schema.getSubscriptionType()) return source;
  if (source instanceof EventPayload) {
    if (info.fieldName !== source.entityField) return source.local[info.fieldName];
    const key = String(info.path.key);
    const error = source.entities?.errors?.find((candidate) => candidate.path?.[0] === key) ?? (source.entities?.data ? undefined : source.entities?.errors?.[0]);
    if (error) throw new GraphQLError(error.message, { extensions: error.extensions });
    return source.entities?.data?.[key] ?? null;
  }
  return (source as Record<string, unknown> | null)?.[String(info.path.key)];
};
