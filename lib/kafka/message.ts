import type { Message } from 'kafkajs';

/** How every event travels: keyed for ordering, the envelope as JSON, its id also as a header. */
export function eventMessage(id: string, key: string, envelope: unknown): Message {
  return { key, value: JSON.stringify(envelope), headers: { 'event-id': id } };
}
