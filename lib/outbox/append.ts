import { createEnvelope, type Envelope, type EventDefinition } from '../events/envelope';

/** The part of any slice's transaction client that the outbox needs (every publishing slice has the model). */
export interface OutboxWriter {
  outboxEvent: {
    create(args: { data: { id: string; topic: string; key: string; payload: object } }): PromiseLike<unknown>;
  };
}

/**
 * Records an event in the outbox inside the caller's transaction: it is published if and only if
 * the change it describes commits. The relay adds the environment's topic prefix when it publishes.
 */
export async function appendEvent<T>(tx: OutboxWriter, definition: EventDefinition<T>, data: T): Promise<Envelope<T>> {
  const envelope = createEnvelope(definition, data);
  await tx.outboxEvent.create({
    data: { id: envelope.id, topic: definition.topic, key: definition.key(envelope.data), payload: envelope },
  });
  return envelope;
}
