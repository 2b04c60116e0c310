import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';
import { HeaderMap, type ApolloServerPlugin, type BaseContext, type GraphQLRequest } from '@apollo/server';
import { subgraphsOf } from './query-plan-subgraphs';
import { identityShape, type Identity } from '@io/auth/identity';
import type { CachedResult, ResponseCache } from './response-cache';

interface Answer {
  result: CachedResult;
  subgraphs: readonly string[];
}

/** A request that must not be answered from the cache (a subscription's per-event entity read) says so in its context. */
export interface ResponseCacheContext extends BaseContext {
  bypassResponseCache?: boolean;
  /** The verified caller (gateway/src/auth): what the subgraphs answer depends on it. */
  identity?: Identity;
}

/**
 * What the caller may see belongs in the key: its scopes and, for a customer, their email (the
 * orders subgraph answers a customer their own orders only). Callers with the same shape get the
 * same answers whatever their token, so they share entries; the REST shim's in-process requests,
 * which carry no Authorization header, are keyed by their caller the same way.
 */
const cacheKey = (source: string, request: GraphQLRequest, identity: Identity | undefined) =>
  `${request.operationName ?? ''}\n${source}\n${JSON.stringify(request.variables ?? {})}\n${identityShape(identity)}\n${identity?.customerEmail ?? ''}`;

/**
 * Serves queries from `cache` and tells it what changed. The gateway reports each operation's query
 * plan through `didResolveQueryPlan`: the subgraphs a query read decide what invalidates its
 * answer, and a mutation (through GraphQL or REST, answered or not) marks the subgraphs it wrote
 * as changed before its answer leaves, so its caller reads its own write.
 */
export function responseCaching(cache: ResponseCache, allSubgraphs: readonly string[]) {
  const planned = new WeakMap<object, readonly string[]>();
  // Identical queries that miss while one of them is being answered wait for that answer instead
  // of all asking the subgraphs (a cold cache, or the moment after an event invalidated a popular
  // answer, would otherwise send every concurrent client through).
  const inFlight = new Map<string, { startedAt: number; answer: Promise<Answer | undefined> }>();
  const didResolveQueryPlan: Experimental_DidResolveQueryPlanCallback = ({ queryPlan, requestContext }) => {
    planned.set(requestContext.context, subgraphsOf(queryPlan));
  };
  const plugin: ApolloServerPlugin<ResponseCacheContext> = {
    async requestDidStart() {
      const startedAt = cache.now();
      let key: string | undefined;
      let answeredFromCache = false;
      let settle: ((answer: Answer | undefined) => void) | undefined;
      const hit = (data: CachedResult['data']) => {
        answeredFromCache = true;
        return {
          http: { status: undefined, headers: new HeaderMap([['x-cache', 'hit']]) },
          body: { kind: 'single' as const, singleResult: { data } },
        };
      };
      return {
        async responseForOperation({ operation, source, request, contextValue }) {
          if (!cache.enabled || operation.operation !== 'query' || contextValue.bypassResponseCache) return null;
          key = cacheKey(source, request, contextValue.identity);
          // `Cache-Control: no-cache` asks for a fresh answer, which then replaces the kept one.
          if (/no-cache|no-store/.test(request.http?.headers.get('cache-control') ?? '')) return null;
          const cached = cache.lookup(key);
          if (cached) return hit(cached.data);
          const leader = inFlight.get(key);
          if (leader) {
            const answer = await leader.answer;
            // Kept only if nothing it read changed since the leader started: exactly what storing it asks.
            if (answer && cache.unchangedSince(answer.subgraphs, leader.startedAt)) return hit(answer.result.data);
            return null;
          }
          inFlight.set(key, { startedAt, answer: new Promise((resolve) => (settle = resolve)) });
          return null;
        },
        async willSendResponse({ operation, response, contextValue }) {
          const subgraphs = planned.get(contextValue);
          if (operation?.operation === 'mutation') {
            cache.changed(subgraphs ?? allSubgraphs);
            return;
          }
          if (!key || answeredFromCache) return;
          const answer =
            subgraphs && response.body.kind === 'single' && !response.body.singleResult.errors
              ? { result: { data: response.body.singleResult.data }, subgraphs }
              : undefined;
          if (answer) cache.store(key, answer.result, answer.subgraphs, startedAt);
          if (settle) {
            inFlight.delete(key);
            settle(answer);
          }
        },
      };
    },
  };
  return { plugin, didResolveQueryPlan };
}
