import { createEnvelope, type Envelope, type EventDefinition } from '../events/envelope';

/** The part of any slice's transaction client that the outbox needs (every publishing slice has the model). */
export interface OutboxWriter {
  outboxEvent: {
    createMany(args: { data: { id: string; topic: string; key: string; payload: object }[] }): PromiseLike<unknown>;
  };
}

/** An event built and validated against its definition, waiting to be written to the outbox. */
export interface OutboxEntry<T = unknown> {
  topic: string;
  key: string;
  envelope: Envelope<T>;
}

export function outboxEntry<T>(definition: EventDefinition<T>, data: T): OutboxEntry<T> {
  const envelope = createEnvelope(definition, data);
  return { topic: definition.topic, key: definition.key(envelope.data), envelope };
}

/**
 * Records events in the outbox inside the caller's transaction, in one statement and in the given
 * order (the relay publishes in that order): they are published if and only if the change they
 * describe commits. The relay adds the environment's topic prefix when it publishes.
 */
export async function appendEvents(tx: OutboxWriter, entries: readonly OutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.outboxEvent.createMany({
    data: entries.map(({ topic, key, envelope }) => ({ id: envelope.id, topic, key, payload: envelope })),
  });
}

/** `appendEvents` for one event; returns its envelope. */
export async function appendEvent<T>(tx: OutboxWriter, definition: EventDefinition<T>, data: T): Promise<Envelope<T>> {
  const entry = outboxEntry(definition, data);
  await appendEvents(tx, [entry]);
  return entry.envelope;
}
