import {
  execute,
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { identityShape, type Identity } from '@io/auth/identity';
import type { Logger } from '@io/logger';
import type { Authorizer } from '../auth/authorize';
import type { ExecuteAs, ExecuteGraphQL, GraphQLResult } from '../execute';
import { buildEntityQuery, collectFieldNodes, keyVariable } from './entity-query';
import type { EventHub, HubEvent } from './event-hub';
import { subscriptionFields, type SubscriptionField } from './fields';
import { ResolutionCache } from './resolution-cache';
import { unboundedSendBuffer } from './send-buffer';
import { SubscriberCursor, type SendBuffer } from './subscriber-cursor';
import { fragmentsOf } from '@io/graphql/fragments';

export interface SubscriptionEngineOptions {
  hub: EventHub;
  schema: GraphQLSchema;
  execute: ExecuteAs;
  authorizer: Authorizer;
  topicName: (topic: string) => string;
  logger: Logger;
}

export interface SubscriptionStats {
  activeSubscriptions: number;
  hubListeners: number;
  droppedEvents: number;
  entityQueries: number;
  /** The resume window: events kept and their bytes. */
  windowEvents: number;
  windowBytes: number;
}

/** How a transport that numbers its messages by event id takes part in a subscription (see subscribe). */
export interface StreamOptions {
  after?: string;
  delivering?: (eventId: string) => void;
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
  /** The subscriber, as its socket authenticated it; entity queries run as this identity. */
  identity: Identity | undefined;
  execute: ExecuteGraphQL;
}

/** Holds an event's own fields and the entities fetched for it while the subscriber's document is executed. */
class EventPayload {
  constructor(
    readonly local: Record<string, unknown>,
    readonly entities: GraphQLResult | undefined,
    readonly entityField: string,
  ) {}
}

/**
 * Serves the supergraph's Subscription fields from Kafka events. Each subscriber reads the hub's
 * log at its socket's pace; an event is filtered by the subscriber's arguments first, then its
 * selection is filled through a federated query for the event's entity key, once per
 * (document, variables) for subscribers that reach the event close together.
 */
export class SubscriptionEngine {
  private active = 0;
  private dropped = 0;
  private entityQueries = 0;
  private readonly resolutions = new ResolutionCache<ExecutionResult>(resolutionCacheEntries);

  constructor(private readonly options: SubscriptionEngineOptions) {}

  stats(): SubscriptionStats {
    const window = this.options.hub.windowStats();
    return {
      activeSubscriptions: this.active,
      hubListeners: this.options.hub.listenerCount(),
      droppedEvents: this.dropped,
      entityQueries: this.entityQueries,
      windowEvents: window.events,
      windowBytes: window.bytes,
    };
  }

  /**
   * Delivery is paced by `sendBuffer`, the subscriber's socket. The operation was authorized when
   * it was subscribed; every event is checked again against `identity` before it is resolved.
   * `stream` serves transports that carry event ids themselves (Server-Sent Events): `after`
   * resumes after that event instead of the operation's own `after` argument, and `delivering` is
   * told each result's event id, in order, as the result is handed over.
   */
  subscribe(
    args: ExecutionArgs,
    sendBuffer: SendBuffer = unboundedSendBuffer,
    identity?: Identity,
    stream: StreamOptions = {},
  ): AsyncIterableIterator<ExecutionResult> | ExecutionResult {
    let prepared: Prepared;
    try {
      prepared = this.prepare(args, identity);
    } catch (error) {
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    const { hub } = this.options;
    const { topic } = prepared;
    const after = stream.after ?? (prepared.args.after as string | undefined | null);
    const start = after ? hub.positionOf(topic, after) : hub.head(topic);
    if (start === undefined) {
      return {
        errors: [
          new GraphQLError(
            `event ${after} is not within the resume window; subscribe without \`after\` (events since then may be missed)`,
            {
              extensions: { code: 'BAD_USER_INPUT', field: 'after' },
            },
          ),
        ],
      };
    }
    this.active += 1;
    return new SubscriberCursor<HubEvent, ExecutionResult>({
      feed: {
        read: (position) => hub.read(topic, position),
        listen: (wake) => hub.listen(topic, (event) => wake(event.position), prepared.field.eventKey?.(prepared.args)),
      },
      start,
      sendBuffer,
      accepts: (event) => {
        const { data } = hub.envelope(event);
        return prepared.field.matches(prepared.args, data) && this.mayReceive(prepared, data);
      },
      resolve: async (event) => {
        const result = await this.resolve(event, prepared);
        stream.delivering?.(hub.envelope(event).id);
        return result;
      },
      annotate: announceDropped,
      onDrop: (count) => {
        this.dropped += count;
      },
      onClose: () => {
        this.active -= 1;
      },
    });
  }

  /**
   * The per-event check: the token has not expired (its socket is being closed), the operation is
   * still allowed for this identity (memoised, two lookups), and the event is the subscriber's to see.
   */
  private mayReceive(prepared: Prepared, data: unknown): boolean {
    const { identity, field, executionArgs } = prepared;
    if (identity?.expiresAt !== undefined && identity.expiresAt <= Date.now()) return false;
    if (this.options.authorizer.check(executionArgs.document, executionArgs.operationName, identity)) return false;
    return !identity || !field.visibleTo || field.visibleTo(identity, data);
  }

  private prepare(args: ExecutionArgs, identity: Identity | undefined): Prepared {
    const operation = getOperationAST(args.document, args.operationName);
    const subscriptionType = this.options.schema.getSubscriptionType();
    if (!operation || operation.operation !== 'subscription' || !subscriptionType)
      throw new GraphQLError('not a subscription operation');
    const [rootField] = operation.selectionSet.selections.filter(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD,
    );
    const field = rootField && subscriptionFields[rootField.name.value];
    const fieldDefinition = rootField && subscriptionType.getFields()[rootField.name.value];
    if (!field || !fieldDefinition) throw new GraphQLError('unknown subscription field');
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldArgs = getArgumentValues(fieldDefinition, rootField, variables);
    const fragments = fragmentsOf(args.document);
    const entityNodes = rootField.selectionSet
      ? collectFieldNodes(rootField.selectionSet, fragments).filter((node) => node.name.value === field.entity.field)
      : [];
    const entityQuery =
      entityNodes.length > 0
        ? print(buildEntityQuery(args.document, operation, entityNodes, field.entity.queryField))
        : undefined;
    const entityVariables = Object.fromEntries(
      Object.entries(variables).filter(([name]) => entityQuery?.includes(`$${name}`)),
    );
    return {
      field,
      args: fieldArgs,
      topic: this.options.topicName(field.event.topic),
      entityQuery,
      entityVariables,
      // Results differ by what the subscriber may see, so only subscribers of the same shape share one.
      cacheKey: `${print(args.document)}\n${args.operationName ?? ''}\n${JSON.stringify(variables)}\n${identityShape(identity)}\n${identity?.customerEmail ?? ''}`,
      executionArgs: args,
      identity,
      execute: this.options.execute(identity),
    };
  }

  /** The subscriber's result for one event, shared by every subscriber with the same cache key. */
  private resolve(event: HubEvent, prepared: Prepared): Promise<ExecutionResult> {
    return this.resolutions.get(`${event.sequence}\n${prepared.cacheKey}`, () => this.execute(event, prepared));
  }

  private async execute(event: HubEvent, prepared: Prepared): Promise<ExecutionResult> {
    const { field } = prepared;
    const envelope = this.options.hub.envelope(event);
    let entities: GraphQLResult | undefined;
    if (prepared.entityQuery) {
      this.entityQueries += 1;
      entities = await prepared
        // One event's entity is read once for all its subscribers (see resolve); keeping it in the response cache would only crowd it.
        .execute(
          prepared.entityQuery,
          { ...prepared.entityVariables, [keyVariable]: field.entity.key(envelope.data) },
          { bypassResponseCache: true },
        )
        .catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'subscription entity query failed');
          return { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };
        });
    }
    const payload = new EventPayload(field.local(envelope), entities, field.entity.field);
    return execute({
      ...prepared.executionArgs,
      schema: this.options.schema,
      rootValue: payload,
      fieldResolver: resolveFromPayload,
    });
  }
}

/**
 * Identical subscribers read the same event within moments of each other; this many recent
 * results cover that without holding results for the whole window.
 */
const resolutionCacheEntries = 256;

/**
 * A slow subscriber whose oldest events were dropped learns it with the next result it gets
 * (`extensions.droppedEvents`), so it can re-read the state instead of trusting a gapless stream.
 * Results are shared between subscribers, so the annotated one is a copy.
 */
const announceDropped = (result: ExecutionResult, dropped: number): ExecutionResult => ({
  ...result,
  extensions: { ...result.extensions, droppedEvents: dropped },
});

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
    const error =
      source.entities?.errors?.find((candidate) => candidate.path?.[0] === key) ??
      (source.entities?.data ? undefined : source.entities?.errors?.[0]);
    if (error) throw new GraphQLError(error.message, { extensions: error.extensions });
    return source.entities?.data?.[key] ?? null;
  }
  return (source as Record<string, unknown> | null)?.[String(info.path.key)];
};
