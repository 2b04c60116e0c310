import type { Experimental_DidResolveQueryPlanCallback } from '@apollo/gateway';

type QueryPlan = Parameters<Experimental_DidResolveQueryPlanCallback>[0]['queryPlan'];
type PlanNode = NonNullable<QueryPlan['node']>;

const bySubgraphs = new WeakMap<QueryPlan, readonly string[]>();

/** The subgraphs a query plan fetches from (plans are cached by the gateway, so each is walked once). */
export function subgraphsOf(plan: QueryPlan): readonly string[] {
  let subgraphs = bySubgraphs.get(plan);
  if (!subgraphs) {
    const found = new Set<string>();
    if (plan.node) collect(plan.node, found);
    subgraphs = [...found].sort();
    bySubgraphs.set(plan, subgraphs);
  }
  return subgraphs;
}

function collect(node: PlanNode, found: Set<string>): void {
  switch (node.kind) {
    case 'Fetch':
      found.add(node.serviceName);
      return;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) collect(child, found);
      return;
    case 'Flatten':
      collect(node.node, found);
      return;
    case 'Defer':
      if (node.primary.node) collect(node.primary.node, found);
      for (const deferred of node.deferred) if (deferred.node) collect(deferred.node, found);
      return;
    case 'Subscription':
      collect(node.primary, found);
      if (node.rest) collect(node.rest, found);
      return;
    case 'Condition':
      if (node.ifClause) collect(node.ifClause, found);
      if (node.elseClause) collect(node.elseClause, found);
      return;
  }
}
