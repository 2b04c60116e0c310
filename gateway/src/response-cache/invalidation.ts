import { orderStatusChanged, stockChanged, stockLevelChanged } from '@io/events/catalog';
import type { SubgraphName } from '../supergraph';

/**
 * Whose data an event the gateway consumes says has changed. Inventory announces every stock
 * movement; orders announce every status change, which also means inventory has taken or given
 * back stock for that order (it committed before orders heard of it).
 */
const invalidatedBy: Record<string, readonly SubgraphName[]> = {
  [stockChanged.type]: ['inventory'],
  [stockLevelChanged.type]: ['inventory'],
  [orderStatusChanged.type]: ['orders', 'inventory'],
};

/** The subgraphs an event of this type may have changed (none: alerts are the monitor's, which is never cached). */
export const changedByEvent = (eventType: string): readonly SubgraphName[] => invalidatedBy[eventType] ?? [];

/**
 * The subgraphs whose answers may be kept: those whose every change is announced by an event
 * above or made by a mutation through the gateway. The monitor's figures (health, Kafka lag,
 * alerts acknowledged) change with no event: a query that reads it is always answered afresh.
 */
export const cacheableSubgraphs = (subgraphs: readonly string[]): ReadonlySet<string> =>
  new Set(
    subgraphs.filter((name) => Object.values(invalidatedBy).some((changed) => changed.includes(name as SubgraphName))),
  );
