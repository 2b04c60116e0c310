import { sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { createEnvelope, type Envelope, type EventDefinition } from '@io/events/envelope';
import { traceparentFor } from '@io/telemetry/messaging';

/** The part of any slice's transaction client that the outbox needs: Prisma's raw SQL (every publishing slice has the table). */
export interface OutboxWriter {
  $executeRaw(query: Sql): PromiseLike<number>;
}

/** An event built and validated against its definition, waiting to be written to the outbox. */
export interface OutboxEntry<T = unknown> {
  topic: string;
  key: string;
  envelope: Envelope<T>;
}

export function outboxEntry<T>(definition: EventDefinition<T>, data: T, id?: string): OutboxEntry<T> {
  const envelope = createEnvelope(definition, data, id);
  return { topic: definition.topic, key: definition.key(envelope.data), envelope };
}

/**
 * The statement that records events in the outbox, in the given order (the relay publishes in
 * that order). Each row keeps the trace context it was written in (see
 * traceparentFor), which the relay sends on as the message's `traceparent` header; the relay adds
 * the environment's topic prefix when it publishes. It may also end a caller's statement whose WITH
 * queries make the change the events describe: the change and its events are then one statement,
 * one round trip on the saga's path.
 */
export function outboxInsert(entries: readonly OutboxEntry[]): Sql {
  // One statement text whatever the number of rows (unnest of arrays, in order): Prisma's
  // createMany builds a new query per row count, measured at 4-7x the CPU (bench/RESULTS.md).
  return sql`
    INSERT INTO outbox_events (id, topic, key, payload, traceparent)
    SELECT id, topic, key, payload, traceparent FROM unnest(${entries.map((entry) => entry.envelope.id)}::uuid[], ${entries.map((entry) => entry.topic)}::text[],
      ${entries.map((entry) => entry.key)}::text[], ${entries.map((entry) => JSON.stringify(entry.envelope))}::jsonb[],
      ${entries.map((entry) => traceparentFor(entry.key))}::text[]) WITH ORDINALITY AS rows(id, topic, key, payload, traceparent, position)
    ORDER BY position`;
}

/**
 * Records events in the outbox inside the caller's transaction: they are published if and only if
 * the change they describe commits.
 */
export async function appendEvents(tx: OutboxWriter, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRaw(outboxInsert(entries));
}

/** `appendEvents` for one event; returns its envelope. */
export async function appendEvent<T>(tx: OutboxWriter, definition: EventDefinition<T>, data: T): Promise<Envelope<T>> {
  const entry = outboxEntry(definition, data);
  await appendEvents(tx, [entry]);
  return entry.envelope;
}
