/**
 * The registry of services: the one list that config, start-up, the gateway, the monitor, the
 * migrations and the tests read. Adding a subgraph is its folder, one entry here, and its Prisma
 * slice under prisma/<slice>/ (see the README, "Add a subgraph").
 */
export interface ServiceEntry {
  name: string;
  kind: 'subgraph' | 'gateway';
  /** Its folder, from the project root; a subgraph's SDL is `<folder>/schema.graphql`. */
  folder: string;
  defaultPort: number;
  /** The variable that overrides the port it listens on. */
  portVariable: string;
  /** A subgraph: the variable naming its GraphQL endpoint; the gateway: its base URL (for the monitor). */
  urlVariable: string;
  /** The process's entry, from the project root; `npm start` and the containers run its compiled twin in dist/. */
  entry: string;
  /** A subgraph's module that builds it in process (for the tests), and the function it exports. */
  starter?: { module: string; export: string };
  /** A subgraph's module that lists what it does with the events it consumes (for the event catalog document). */
  eventHandlers?: { module: string; export: string };
  /** The PostgreSQL schema, and the folder under prisma/, that the service owns; null when it has no data. */
  slice: string | null;
  healthPath: string;
  /**
   * Reads the offsets of every topic and the state of every consumer group of its environment (the
   * monitor's kafkaStats): its Kafka user may describe them all (scripts/kafka/acls.ts).
   */
  describesKafka?: boolean;
  /**
   * Replays dead letters on operators' request (the monitor's replayDeadLetter), as a Kafka user of
   * its own, `kafkaUser`: only that user may write the topics whose consumers dead-letter, so the
   * service's everyday user writes only its own topics (scripts/kafka/acls.ts). The service gets its
   * credentials as KAFKA_REPLAY_SASL_* and logs in with them only to replay.
   */
  replaysDeadLetters?: { kafkaUser: string };
}

export const services = [
  {
    name: 'inventory',
    kind: 'subgraph',
    folder: 'subgraphs/inventory',
    defaultPort: 4001,
    portVariable: 'INVENTORY_PORT',
    urlVariable: 'INVENTORY_URL',
    entry: 'subgraphs/inventory/src/index.ts',
    starter: { module: 'subgraphs/inventory/src/service', export: 'startInventoryService' },
    eventHandlers: { module: 'subgraphs/inventory/src/events/handlers', export: 'inventoryEventHandlers' },
    slice: 'inventory',
    healthPath: '/health',
  },
  {
    name: 'orders',
    kind: 'subgraph',
    folder: 'subgraphs/orders',
    defaultPort: 4002,
    portVariable: 'ORDERS_PORT',
    urlVariable: 'ORDERS_URL',
    entry: 'subgraphs/orders/src/index.ts',
    starter: { module: 'subgraphs/orders/src/service', export: 'startOrdersService' },
    eventHandlers: { module: 'subgraphs/orders/src/events/handlers', export: 'ordersEventHandlers' },
    slice: 'orders',
    healthPath: '/health',
  },
  {
    name: 'monitor',
    kind: 'subgraph',
    folder: 'subgraphs/monitor',
    defaultPort: 4003,
    portVariable: 'MONITOR_PORT',
    urlVariable: 'MONITOR_URL',
    entry: 'subgraphs/monitor/src/index.ts',
    starter: { module: 'subgraphs/monitor/src/service', export: 'startMonitorService' },
    eventHandlers: { module: 'subgraphs/monitor/src/events/handlers', export: 'monitorEventHandlers' },
    slice: 'monitor',
    healthPath: '/health',
    describesKafka: true,
    replaysDeadLetters: { kafkaUser: 'dead-letter-replayer' },
  },
  {
    name: 'gateway',
    kind: 'gateway',
    folder: 'gateway',
    defaultPort: 4000,
    portVariable: 'GATEWAY_PORT',
    urlVariable: 'GATEWAY_URL',
    entry: 'gateway/src/index.ts',
    slice: null,
    healthPath: '/health',
  },
] as const satisfies readonly ServiceEntry[];

export type Registered = (typeof services)[number];
export type ServiceName = Registered['name'];
export type SubgraphName = Extract<Registered, { kind: 'subgraph' }>['name'];
export type SubgraphEntry = Extract<Registered, { kind: 'subgraph' }>;
export type PortVariable = Registered['portVariable'];
export type UrlVariable = Registered['urlVariable'];

const isSubgraph = (entry: Registered): entry is SubgraphEntry => entry.kind === 'subgraph';

export const subgraphs: readonly SubgraphEntry[] = services.filter(isSubgraph);
export const subgraphNames = subgraphs.map((entry) => entry.name) as readonly SubgraphName[];
export const serviceNames: readonly ServiceName[] = services.map((entry) => entry.name);

/** The Kafka user a service replays dead letters as, if it replays them. */
export function replayUserOf(entry: Registered): string | undefined {
  return 'replaysDeadLetters' in entry ? entry.replaysDeadLetters.kafkaUser : undefined;
}

/** The Kafka users that replay dead letters (one per replaying service), besides the services' own. */
export const replayUsers: readonly string[] = services.flatMap((entry) => replayUserOf(entry) ?? []);

const gateways: readonly Registered[] = services.filter((entry) => !isSubgraph(entry));

/**
 * Subgraphs first, together (they need nothing of each other to start), then the gateways: a
 * gateway's health asks every subgraph. A stage starts once the one before it is healthy.
 */
export const startStages: readonly (readonly Registered[])[] = [subgraphs, gateways];
export const startOrder: readonly Registered[] = startStages.flat();

/** Gateways first, then subgraphs in registry order: the order in which operators read health. */
export const healthOrder: readonly ServiceName[] = [...gateways, ...subgraphs].map((entry) => entry.name);

/** A subgraph's SDL, from the project root: the source of its types and of the supergraph. */
export function schemaFile(name: SubgraphName): string {
  return `${serviceNamed(name).folder}/schema.graphql`;
}

export function serviceNamed(name: ServiceName): Registered {
  return services.find((entry) => entry.name === name)!;
}

/** Where `tsc -p tsconfig.build.json` writes a source file's JavaScript (dist/ mirrors the tree). */
export function compiledPath(sourcePath: string): string {
  return `dist/${sourcePath.replace(/\.ts$/, '.js')}`;
}
