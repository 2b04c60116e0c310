import { z } from 'zod';

/**
 * Every environment variable the system reads, declared once with its default and meaning.
 * The README's table mirrors this list; `loadConfig` validates it at start-up.
 */
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PostgreSQL server and database; each subgraph uses its own schema inside it. */
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/inventory_orders'),
  /** Comma-separated bootstrap brokers. */
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  /** Prepended to every topic name, so that several environments (or test runs) share one broker. */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/).default(''),
  /** Ports of the embedded broker that `npm start` and the tests run when none is listening. */
  KAFKA_PORT: port(9092),
  KAFKA_CONTROLLER_PORT: port(9093),
  /** Interface every HTTP server binds to; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: port(4000),
  INVENTORY_PORT: port(4001),
  ORDERS_PORT: port(4002),
  MONITOR_PORT: port(4003),
  /** Where the gateway finds each subgraph; default: the local port above. */
  INVENTORY_URL: z.string().url().optional(),
  ORDERS_URL: z.string().url().optional(),
  MONITOR_URL: z.string().url().optional(),
  /** Where the monitor probes the gateway; default: the local GATEWAY_PORT. */
  GATEWAY_URL: z.string().url().optional(),
  /** How often the monitor probes every service, Kafka and PostgreSQL. */
  HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** A PROCESSING_ERROR alert resolves once no message of its consumer group and topic was dead-lettered for this long. */
  PROCESSING_ERROR_RESOLVE_AFTER_MS: z.coerce.number().int().min(1000).default(900_000),
  /** How far back a resubscribing client can resume (the gateway keeps events this long). */
  SUBSCRIPTION_RESUME_WINDOW_MS: z.coerce.number().int().min(0).default(300_000),
  /** Open graphql-ws sockets per gateway; more are refused. */
  MAX_WS_CONNECTIONS: z.coerce.number().int().min(1).default(1000),
  MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(50),
  /** At most this many bytes of events are kept for resuming (all topics together), oldest evicted first. */
  SUBSCRIPTION_WINDOW_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** A subscriber whose socket has more unsent bytes than this waits; events it falls behind the window are dropped (and counted). */
  SUBSCRIBER_SEND_BUFFER_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Safety-net poll of the outbox relay; LISTEN/NOTIFY wakes it sooner. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // One clear line, then stop: a service must never run on a half-valid configuration.
    throw new ConfigError(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export class ConfigError extends Error {}

export function subgraphUrl(config: Config, name: 'inventory' | 'orders' | 'monitor'): string {
  const explicit = { inventory: config.INVENTORY_URL, orders: config.ORDERS_URL, monitor: config.MONITOR_URL }[name];
  const localPort = { inventory: config.INVENTORY_PORT, orders: config.ORDERS_PORT, monitor: config.MONITOR_PORT }[name];
  return explicit ?? `http://127.0.0.1:${localPort}/graphql`;
}

export function gatewayUrl(config: Config): string {
  return config.GATEWAY_URL ?? `http://127.0.0.1:${config.GATEWAY_PORT}`;
}

export function kafkaBrokers(config: Config): string[] {
  return config.KAFKA_BROKERS.split(',').map((broker) => broker.trim()).filter(Boolean);
}
