import { randomBytes } from 'node:crypto';

/**
 * Every setting of `npm run bench`, read from the environment once. Ports default away from
 * 4000-4003 so a bench never collides with a developer's `npm start`.
 */
export interface RateStep {
  ratePerSecond: number;
  durationSeconds: number;
}

export interface BenchConfig {
  steps: RateStep[];
  adminDatabaseUrl: string;
  benchDatabase: string;
  topicPrefix: string;
  /** Given to `npm start` so the bench can sign its direct reads of the orders subgraph. */
  hopSecret: string;
  ports: { gateway: number; inventory: number; orders: number; monitor: number; kafka: number };
  productCount: number;
  stockPerProduct: number;
  /** The last N products get only `shortStock` units, so some orders are rejected. */
  shortProducts: number;
  shortStock: number;
  stepDrainMs: number;
  finalDrainMs: number;
  requestTimeoutMs: number;
  maxConnections: number;
  readSeconds: number;
  /** Each read measurement is preceded by as many seconds of the same load, not measured (JIT, plan caches). */
  readWarmUpSeconds: number;
  readConnections: number;
  readFixedRate: number;
  /**
   * Orders sent at a fixed rate before anything is measured, so the figures are those of a running
   * system, not of one whose JIT compilers (V8's, the broker's JVM) are still at work (none: skipped).
   */
  warmUp?: RateStep;
  /** Quiet seconds right after start-up, to measure an idle system (0: skipped). */
  idleSeconds: number;
  pgbenchSeconds: number;
  pgbenchClients: number;
  writeResults: boolean;
  resultsLabel: string;
}

function integer(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

/** "50:20,200:20,500:60" → rate (orders/s) : duration (s) pairs. */
export function parseSteps(text: string): RateStep[] {
  return text.split(',').map((pair) => {
    const [rate, duration] = pair.split(':').map(Number);
    if (!(rate > 0) || !(duration > 0)) throw new Error(`BENCH_RATES: "${pair}" is not <orders per second>:<seconds>`);
    return { ratePerSecond: rate, durationSeconds: duration };
  });
}

export function loadBenchConfig(): BenchConfig {
  const random = Math.random().toString(36).slice(2, 8);
  return {
    steps: parseSteps(process.env.BENCH_RATES ?? '50:20,200:20,500:60'),
    adminDatabaseUrl: process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    benchDatabase: process.env.BENCH_DATABASE ?? 'io_bench',
    topicPrefix: process.env.BENCH_TOPIC_PREFIX ?? `bench-${random}.`,
    hopSecret: process.env.SUBGRAPH_HOP_SECRET ?? randomBytes(32).toString('base64url'),
    ports: {
      gateway: integer('GATEWAY_PORT', 4100),
      inventory: integer('INVENTORY_PORT', 4101),
      orders: integer('ORDERS_PORT', 4102),
      monitor: integer('MONITOR_PORT', 4103),
      kafka: integer('KAFKA_PORT', 9092),
    },
    productCount: integer('BENCH_PRODUCTS', 100),
    stockPerProduct: integer('BENCH_STOCK', 1_000_000),
    shortProducts: integer('BENCH_SHORT_PRODUCTS', 0),
    shortStock: integer('BENCH_SHORT_STOCK', 20),
    stepDrainMs: integer('BENCH_STEP_DRAIN_MS', 20_000),
    finalDrainMs: integer('BENCH_FINAL_DRAIN_MS', 60_000),
    requestTimeoutMs: integer('BENCH_REQUEST_TIMEOUT_MS', 30_000),
    maxConnections: integer('BENCH_CONNECTIONS', 256),
    readSeconds: integer('BENCH_READ_SECONDS', 10),
    readWarmUpSeconds: integer('BENCH_READ_WARMUP_SECONDS', 3),
    readConnections: integer('BENCH_READ_CONNECTIONS', 16),
    readFixedRate: integer('BENCH_READ_RATE', 200),
    idleSeconds: integer('BENCH_IDLE_SECONDS', 60),
    warmUp: process.env.BENCH_WARMUP === '0' ? undefined : parseSteps(process.env.BENCH_WARMUP ?? '50:30')[0],
    pgbenchSeconds: integer('BENCH_PGBENCH_SECONDS', 10),
    pgbenchClients: integer('BENCH_PGBENCH_CLIENTS', 4),
    writeResults: process.env.BENCH_WRITE === '1',
    resultsLabel: process.env.BENCH_LABEL ?? '',
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
