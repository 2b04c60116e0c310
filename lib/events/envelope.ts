import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Every message on every topic is an envelope: a unique id (the idempotency key of consumers),
 * the event type and the version of its payload schema, when it happened, and the payload.
 */
const envelopeSchema = z.object({
  id: z.string().uuid(),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  data: z.unknown(),
});

export type Envelope<T> = Omit<z.infer<typeof envelopeSchema>, 'data'> & { data: T };

export interface EventDefinition<T> {
  topic: string;
  type: string;
  version: number;
  schema: z.ZodType<T>;
  /** The partition key: all events of one entity share it, so they stay in order. */
  key: (data: T) => string;
  /** For the catalog document (docs/events.md is generated from these). */
  about: { summary: string; key: string; producer: string };
}

export function defineEvent<T>(definition: EventDefinition<T>): EventDefinition<T> {
  return definition;
}

/** `id`: a fresh UUID, or one derived from an idempotency key (lib/db/idempotency.ts) so that a retried request's event is the same event. */
export function createEnvelope<T>(definition: EventDefinition<T>, data: T, id: string = randomUUID()): Envelope<T> {
  return {
    id,
    type: definition.type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    data: definition.schema.parse(data),
  };
}

export class InvalidEventError extends Error {}

/** Parses a raw message value against the event's definition; throws InvalidEventError on any mismatch. */
export function parseEnvelope<T>(definition: EventDefinition<T>, raw: Buffer | string | null): Envelope<T> {
  if (raw === null) throw new InvalidEventError('empty message');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch (error) {
    throw new InvalidEventError(`not JSON: ${(error as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new InvalidEventError(`bad envelope: ${z.prettifyError(envelope.error)}`);
  if (envelope.data.type !== definition.type || envelope.data.version !== definition.version) {
    throw new InvalidEventError(`unexpected ${envelope.data.type} v${envelope.data.version} on ${definition.topic}`);
  }
  const data = definition.schema.safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(`bad ${definition.type} payload: ${z.prettifyError(data.error)}`);
  return { ...envelope.data, data: data.data };
}
