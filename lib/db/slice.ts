import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type PoolClient } from 'pg';

/**
 * What every slice's data layer shares: one pool per process (Prisma runs on it and the outbox
 * relay borrows from it), transactions with the same limits, and idempotent event handling.
 * Each slice keeps its own generated Prisma client; these helpers only rely on what all of them have.
 */
/** DATABASE_STATEMENT_TIMEOUT_MS's default (lib/config.ts), for pools built outside a service (tests). */
const defaultStatementTimeoutMs = 10_000;

/**
 * No database call waits forever: a statement runs at most `statementTimeoutMs` (PostgreSQL cancels
 * it: SQLSTATE 57014), a free connection is waited for as long, and a server that stopped answering
 * altogether (frozen, or its network gone) is given up a second later on the client's side. The
 * consumers retry each of these as a transient failure (lib/kafka/failure.ts).
 */
export function createSlicePool(
  databaseUrl: string,
  dbSchema: string,
  { max = 10, statementTimeoutMs = defaultStatementTimeoutMs }: { max?: number; statementTimeoutMs?: number } = {},
): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max,
    options: `-c search_path=${dbSchema}`,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 1000,
    connectionTimeoutMillis: statementTimeoutMs,
    // node-postgres closes a connection idle for 10 s, the period of the health probes and the relay's
    // safety-net poll: an idle service opened a new connection (a PostgreSQL backend fork, the
    // startup and authentication round trips) for nearly every one of them. A minute keeps one open.
    idleTimeoutMillis: 60_000,
  });
  pool.on('connect', keepConnectionErrorsFromCrashing);
  pool.on('error', dropIdleConnection);
  return pool;
}

/**
 * node-postgres emits 'error' on a connection the server drops (PostgreSQL restarting: "terminating
 * connection due to administrator command", then "Connection terminated unexpectedly"). The pool
 * listens only while a connection is idle in it; a checked-out one (a transaction waiting on Kafka,
 * the relay's LISTEN connection after it was given up) had no listener, and an unhandled 'error'
 * ends the process. The failure itself still reaches whoever uses the connection: its query rejects,
 * the pool discards it, and the caller's retry takes a new one.
 */
function keepConnectionErrorsFromCrashing(client: PoolClient): void {
  client.on('error', () => undefined);
}

/**
 * A connection idle in the pool that the server drops (a restart, `pg_terminate_backend`, a
 * `DROP DATABASE … WITH (FORCE)`) makes the pool emit 'error', which would end the process when
 * nobody listens. The pool has already discarded that connection and opens a new one when next
 * asked; no query was running on it, so there is nothing else to do.
 */
const dropIdleConnection = (): void => undefined;

/** A slice's generated Prisma client on the process's pool, in the slice's PostgreSQL schema. */
export function createSliceClient<C>(
  Client: new (options: { adapter: PrismaPg }) => C,
  pool: Pool,
  dbSchema: string,
): C {
  return new Client({ adapter: new PrismaPg(pool, { schema: dbSchema }) });
}

interface TransactionalClient<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
}

/** Prisma's raw SQL, as every slice's transaction client has it (every consuming slice has processed_events). */
interface ProcessedEventsWriter {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
}

export function inTransaction<Tx, R>(prisma: TransactionalClient<Tx>, work: (tx: Tx) => Promise<R>): Promise<R> {
  return prisma.$transaction(work, { timeout: 15_000, maxWait: 10_000 });
}

/**
 * Runs `work` in one transaction for the events of `events` that were not processed before (in
 * their order; duplicates within the list count once). Their ids are recorded in that same
 * transaction, so the effects and the records commit together: a redelivered event is a no-op.
 * Nothing runs, and no transaction is opened, when `events` is empty. Returns undefined when every
 * event was a duplicate.
 */
export function onceForEvents<Tx extends ProcessedEventsWriter, E extends { id: string }, R>(
  prisma: TransactionalClient<Tx>,
  events: readonly E[],
  topic: string,
  work: (tx: Tx, fresh: E[]) => Promise<R>,
): Promise<R | undefined> {
  if (events.length === 0) return Promise.resolve(undefined);
  return inTransaction(prisma, async (tx) => {
    const recorded = await tx.$queryRaw<{ eventId: string }[]>`
      INSERT INTO processed_events (event_id, topic)
      SELECT DISTINCT id, ${topic}::text FROM unnest(${events.map((event) => event.id)}::uuid[]) AS id
      ON CONFLICT (event_id) DO NOTHING
      RETURNING event_id::text AS "eventId"`;
    const fresh = new Set(recorded.map((row) => row.eventId));
    // PostgreSQL answers a uuid in lowercase; an id may have come in another case.
    const todo = events.filter((event) => fresh.delete(event.id.toLowerCase()));
    if (todo.length === 0) return undefined;
    return work(tx, todo);
  });
}

/** `onceForEvents` for a single event. */
export async function onceForEvent<Tx extends ProcessedEventsWriter, R>(
  prisma: TransactionalClient<Tx>,
  eventId: string,
  topic: string,
  work: (tx: Tx) => Promise<R>,
): Promise<R | undefined> {
  return onceForEvents(prisma, [{ id: eventId }], topic, (tx) => work(tx));
}
