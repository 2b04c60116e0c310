/** An entity known only by its key: what a subgraph returns for an entity another subgraph owns or fills. */
export type EntityReference = { id: string };
