import { z } from 'zod';
import {
  serviceNamed,
  services,
  subgraphNames,
  type PortVariable,
  type ServiceName,
  type SubgraphName,
  type UrlVariable,
} from '@io/registry';

/**
 * Every environment variable the system reads, declared once with its default and meaning.
 * The README's table mirrors this list; `loadConfig` validates it at start-up.
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** Each registered service's port variable (default: its registered port) and URL variable (optional). */
const servicePorts = Object.fromEntries(services.map((entry) => [entry.portVariable, port(entry.defaultPort)])) as {
  [K in PortVariable]: ReturnType<typeof port>;
};
const serviceUrls = Object.fromEntries(services.map((entry) => [entry.urlVariable, z.string().url().optional()])) as {
  [K in UrlVariable]: z.ZodOptional<z.ZodString>;
};

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((flag) => flag === 'true' || flag === '1');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL server and database; each subgraph uses its own schema inside it. */
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/inventory_orders'),
  /** Comma-separated bootstrap brokers. */
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  /** Prepended to every topic name, so that several environments (or test runs) share one broker. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/)
    .default(''),
  /**
   * How long the broker waits for a consumer that went silent (a crashed process) before it gives
   * that consumer's partitions to another; the broker refuses less than 6000.
   */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).default(10_000),
  /**
   * The most events of one partition a consumer applies in one transaction. Larger batches cost
   * fewer commits per event; smaller ones hold the products' row locks for less time.
   */
  CONSUMER_BATCH_MAX_EVENTS: z.coerce.number().int().min(1).max(10_000).default(500),
  /**
   * How long the monitor lets events gather on the broker after a fetch that brought some. It
   * watches the saga rather than taking part in it, so it applies each partition's events of the
   * last second in one transaction and one offset commit, where fetching each event as it comes
   * costs all of that per event (three per order). The first event after a quiet spell is applied at
   * once, the next ones up to this late. 0 fetches each event at once, as the saga's own consumers
   * always do.
   */
  MONITOR_EVENT_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(1000),
  /**
   * How kafkajs clients authenticate (SASL) and encrypt (TLS), the same for any cluster. Left unset
   * with the embedded broker: `npm start`, `npm run setup` and the tests fill in the credentials it
   * generated (an admin for themselves, each service its own user; README, "Kafka security").
   */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /**
   * The monitor's second Kafka user, the only one allowed to write the topics services consume:
   * it logs in with it (and KAFKA_SASL_MECHANISM) only to replay a dead letter. Unset, replays go
   * out as the monitor's own user, with a warning (its ACLs refuse them). Filled in like KAFKA_SASL_*
   * with the embedded broker.
   */
  KAFKA_REPLAY_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_REPLAY_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_SSL: booleanFlag.optional(),
  /** PEM file of the certificate authorities to trust instead of Node's (needs KAFKA_SSL=true). */
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  /** Ports of the embedded broker that `npm start` and the tests run when none is listening. */
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  /**
   * How many combined broker+controller nodes the embedded launcher runs in one KRaft quorum on this
   * machine: node i listens on KAFKA_PORT+2i (its controller on KAFKA_PORT+2i+1). 1 is today's single
   * broker; 3 gives replicated topics (README, "A local cluster").
   */
  KAFKA_BROKERS_LOCAL: z.coerce.number().int().min(1).max(5).default(1),
  /** Interface every HTTP server binds to; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  ...servicePorts,
  ...serviceUrls,
  /**
   * Set by `npm start`'s supervisor on each (re)start of a service: how many times it restarted that
   * service after a crash. The service reports it on /health, and the monitor records it with each probe.
   */
  SUPERVISOR_RESTARTS: z.coerce.number().int().min(0).default(0),
  /** How often the monitor probes every service, Kafka and PostgreSQL. */
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** A PROCESSING_ERROR alert resolves once no message of its consumer group and topic was dead-lettered for this long. */
  PROCESSING_ERROR_RESOLVE_AFTER_MS: z.coerce.number().int().min(1000).default(900_000),
  /** An ORDER_REJECTED group resolves once no order was rejected for its product and reason for this long. */
  ORDER_REJECTED_RESOLVE_AFTER_MS: z.coerce.number().int().min(1000).default(900_000),
  /** An order PENDING (waiting for inventory's verdict) longer than this raises ORDER_PENDING_TOO_LONG. */
  PENDING_ALERT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How far back a resubscribing client can resume (the gateway keeps events this long). */
  SUBSCRIPTION_RESUME_WINDOW_MS: z.coerce.number().int().min(0).default(300_000),
  /** Open graphql-ws sockets per gateway; more are refused. */
  MAX_WS_CONNECTIONS: z.coerce.number().int().min(1).default(1000),
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(50),
  /**
   * At most this many bytes of events are kept for resuming (all topics together, each event's bytes
   * plus its bookkeeping), oldest evicted first. 32 MiB is about 55,000 events: the whole 5-minute
   * window below ~180 events/s, about a minute of a 500 orders/s flash sale, in a known amount of memory.
   */
  SUBSCRIPTION_WINDOW_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  /**
   * How much the gateway's old generation may grow beyond what survived its last full collection
   * (V8's --heap-growing-percent). 0 leaves V8 its own factor, sized by the allocation rate up to 4x:
   * the fastest, and the largest under load. Measured at 560 orders/s sent (bench/RESULTS.md): 0 made
   * 505 orders/s with a 403 MB gateway, 100 made 488/s with 269 MB, 50 made 465/s with 232 MB. A
   * factor, not a ceiling: a larger live set still gets its room.
   */
  GATEWAY_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(0),
  /** A subscriber whose socket has more unsent bytes than this waits; events it falls behind the window are dropped (and counted). */
  SUBSCRIBER_SEND_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /**
   * Limits on each GraphQL operation at the gateway (HTTP and WebSocket alike), checked before
   * anything is planned or sent to a subgraph. Cost: every field 1, a list field its selection
   * times its `limit` (or 10 for lists without one); see gateway/src/limits/cost.ts.
   */
  MAX_QUERY_DEPTH: z.coerce.number().int().min(1).default(12),
  MAX_QUERY_ALIASES: z.coerce.number().int().min(0).default(50),
  MAX_QUERY_DIRECTIVES: z.coerce.number().int().min(0).default(50),
  MAX_QUERY_TOKENS: z.coerce.number().int().min(100).default(2000),
  MAX_QUERY_COST: z.coerce.number().int().min(1).default(100_000),
  /**
   * Rate limits per caller (its address until requests carry an identity), per window; 0 turns one
   * off. The defaults only stop floods (a 500 orders/s load from one address stays well under).
   */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(0).default(20_000),
  RATE_LIMIT_MUTATIONS: z.coerce.number().int().min(0).default(10_000),
  /** Open graphql-ws sockets per client address; more are refused at the upgrade (HTTP 429). */
  MAX_WS_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  /**
   * Comma-separated browser origins (e.g. `https://ops.example.com`) allowed besides the gateway's
   * own: for WebSocket upgrades (cross-site WebSocket hijacking) and for CORS.
   */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim().replace(/\/$/, ''))
        .filter(Boolean),
    ),
  /** Stack traces in GraphQL errors; honoured only with NODE_ENV=development. */
  GRAPHQL_STACKTRACES: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Memory for the gateway's cache of query answers (their JSON size), invalidated by the events it
   * consumes and the mutations it runs; 0 turns it off. 16 MiB is thousands of product lists.
   */
  RESPONSE_CACHE_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(16 * 1024 * 1024),
  /** The longest a cached answer is served: the bound for changes no event announces (a product edited through another gateway). */
  RESPONSE_CACHE_TTL_MS: z.coerce.number().int().min(1).default(10_000),
  /**
   * The longest the gateway waits for a subgraph to start answering (and for each part of its
   * answer); then the request fails with SERVICE_UNAVAILABLE naming the subgraph.
   */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  /** Failed requests in a row to one subgraph that open its circuit: requests then fail at once. */
  SUBGRAPH_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  /** How long an open circuit fails fast before one request tries the subgraph again. */
  SUBGRAPH_BREAKER_HALF_OPEN_MS: z.coerce.number().int().min(10).default(5000),
  /**
   * The longest one database statement of a service may run (PostgreSQL's statement_timeout), also
   * the longest a service waits for a pool connection or for an answer from a server that stopped
   * answering; the consumers retry what it cuts short (a transient failure).
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** The longest a Kafka request of a service (a send, a fetch, an offset commit) waits for the broker. */
  KAFKA_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10_000),
  /** Safety-net poll of the outbox relay; LISTEN/NOTIFY wakes it sooner. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(10_000),
  /** How often a publishing outbox relay vacuums its table (lib/outbox/relay.ts); 0 leaves it to autovacuum. */
  OUTBOX_VACUUM_MS: z.coerce.number().int().min(0).default(30_000),
  /** How long an outbox keeps a published row (lib/outbox/relay.ts); 0 keeps them all. */
  OUTBOX_RETENTION_MS: z.coerce.number().int().min(0).default(3_600_000),
  /**
   * Bearer tokens (see lib/auth): at most one key source. None of them on a loopback HOST outside
   * production is development mode (tokenless callers are admin; tokens are checked with the
   * development key of `npm run token`).
   */
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_JWKS_URL: z.string().url().optional(),
  AUTH_JWKS_FILE: z.string().min(1).optional(),
  /** When set, a token's `iss` / `aud` must match. */
  AUTH_ISSUER: z.string().min(1).optional(),
  AUTH_AUDIENCE: z.string().min(1).optional(),
  /** Allowed clock difference with the token issuer for `exp` and `nbf`. */
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** The claim that carries scopes: a space-separated string or an array (dotted paths reach nested claims). */
  AUTH_SCOPE_CLAIM: z.string().min(1).default('scope'),
  /** A token carrying this claim is a customer's: that email's orders only. */
  AUTH_EMAIL_CLAIM: z.string().min(1).default('email'),
  /** Shared by the gateway and the subgraphs to sign and check the forwarded identity; `npm start` generates one per start when unset. */
  SUBGRAPH_HOP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** How long a signed identity header stays valid. */
  SUBGRAPH_HOP_TTL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /**
   * When set, GET /metrics on every process answers only `Authorization: Bearer <METRICS_TOKEN>`;
   * unset, /metrics is open like /health (keep the ports on a private network, or set it).
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Introspection and Apollo Sandbox: on outside production unless set to false; off in production unless set to true. */
  GRAPHQL_INTROSPECTION: booleanFlag.optional(),
  GRAPHQL_SANDBOX: booleanFlag.optional(),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema
    .refine(
      (config) => [config.AUTH_JWT_SECRET, config.AUTH_JWKS_URL, config.AUTH_JWKS_FILE].filter(Boolean).length <= 1,
      { path: ['AUTH_JWT_SECRET'], message: 'set only one of AUTH_JWT_SECRET, AUTH_JWKS_URL and AUTH_JWKS_FILE' },
    )
    .refine(
      (config) =>
        [config.KAFKA_SASL_MECHANISM, config.KAFKA_SASL_USERNAME, config.KAFKA_SASL_PASSWORD].filter(Boolean).length %
          3 ===
        0,
      {
        path: ['KAFKA_SASL_MECHANISM'],
        message: 'set KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD together, or none of them',
      },
    )
    .refine((config) => !config.KAFKA_REPLAY_SASL_USERNAME === !config.KAFKA_REPLAY_SASL_PASSWORD, {
      path: ['KAFKA_REPLAY_SASL_USERNAME'],
      message: 'set KAFKA_REPLAY_SASL_USERNAME and KAFKA_REPLAY_SASL_PASSWORD together, or neither',
    })
    .refine((config) => !config.KAFKA_REPLAY_SASL_USERNAME || config.KAFKA_SASL_MECHANISM, {
      path: ['KAFKA_REPLAY_SASL_USERNAME'],
      message: 'the replay user logs in with KAFKA_SASL_MECHANISM: set KAFKA_SASL_* too',
    })
    .refine((config) => !config.KAFKA_SSL_CA_FILE || config.KAFKA_SSL === true, {
      path: ['KAFKA_SSL_CA_FILE'],
      message: 'a CA file is only read with KAFKA_SSL=true',
    })
    .safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // One clear line, then stop: a service must never run on a half-valid configuration.
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export class ConfigError extends Error {}

export function servicePort(config: Config, name: ServiceName): number {
  return config[serviceNamed(name).portVariable];
}

/** Where the gateway reaches a subgraph's GraphQL endpoint: its URL variable, else its local port. */
export function subgraphUrl(config: Config, name: SubgraphName): string {
  const entry = serviceNamed(name);
  return config[entry.urlVariable] ?? `http://127.0.0.1:${config[entry.portVariable]}/graphql`;
}

/** Where the gateway reaches every subgraph, by name. */
export function subgraphUrls(config: Config): Record<SubgraphName, string> {
  return Object.fromEntries(subgraphNames.map((name) => [name, subgraphUrl(config, name)])) as Record<
    SubgraphName,
    string
  >;
}

export function kafkaBrokers(config: Config): string[] {
  return config.KAFKA_BROKERS.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}
