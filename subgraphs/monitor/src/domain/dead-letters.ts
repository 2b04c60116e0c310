import type { Message } from 'kafkajs';
import type { DeadLetter as DeadLetterEvent } from '@io/events/catalog';
import type { Envelope } from '@io/events/envelope';
import { conflict, notFound } from '@io/graphql/errors';
import { page } from '@io/graphql/paging';
import { parseId } from '@io/graphql/validate';
import type { DeadLetter } from '../__generated__/prisma/client';
import { deadLetterRepository } from '../data/dead-letters';
import type { MonitorPrisma } from '../data/prisma';

/** Keeps the dead letters of a batch (each original message once) for operators to list and replay. */
export async function storeDeadLetters(prisma: MonitorPrisma, events: Envelope<DeadLetterEvent>[]): Promise<void> {
  if (events.length === 0) return;
  await deadLetterRepository.saveAll(
    prisma,
    events.map(({ data }) => ({
      consumerGroup: data.consumerGroup,
      topic: data.topic,
      partition: data.partition,
      offset: data.offset,
      messageKey: data.key,
      messageValue: data.value,
      error: data.error.slice(0, 1000),
      attempts: data.attempts,
    })),
  );
}

/** Sends one message to a topic and waits for every in-sync replica (the replay producer, events/replay-producer.ts). */
export type Publish = (topic: string, message: Message) => Promise<void>;

/** The event id of an original message, when it has one, so the replay carries the same header. */
function eventIdOf(value: string): string | undefined {
  try {
    const id = (JSON.parse(value) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined; // not JSON: such a message is never replayed (see replay)
  }
}

export function deadLetterUseCases(prisma: MonitorPrisma, publish: Publish, topicPrefix: string) {
  /** Topic and group names are shown and filtered without the environment's prefix. */
  const stripPrefix = (name: string) =>
    topicPrefix && name.startsWith(topicPrefix) ? name.slice(topicPrefix.length) : name;
  const brokerTopic = (topic: string | null | undefined) => (topic ? `${topicPrefix}${topic}` : null);

  return {
    stripPrefix,
    list: (topic: string | null | undefined, limit?: number | null, offset?: number | null) => {
      const paging = page(limit, offset, 50, 500);
      return deadLetterRepository.list(prisma, brokerTopic(topic), paging.limit, paging.offset);
    },
    count: (topic: string | null | undefined) => deadLetterRepository.count(prisma, brokerTopic(topic)),

    /**
     * Publishes the original message again, key and value unchanged, to its original topic; the
     * consumers' deduplication by event id makes a replay of an applied event a no-op. A message
     * that could not be read would only be dead-lettered again, so it is refused (CONFLICT). If the
     * send succeeds and the bookkeeping fails, the operator may replay again: harmless.
     */
    replay: async (id: string): Promise<DeadLetter> => {
      const letterId = parseId(id);
      const letter = await deadLetterRepository.findById(prisma, letterId);
      if (!letter) throw notFound('DeadLetter', id);
      const eventId = letter.messageValue === null ? undefined : eventIdOf(letter.messageValue);
      if (letter.messageValue === null || letter.attempts === 0 || eventId === undefined) {
        throw conflict(`dead letter ${letterId} could not be read by its consumer; replaying it would fail again`, {
          reason: 'UNREADABLE_MESSAGE',
        });
      }
      if (topicPrefix && !letter.topic.startsWith(topicPrefix)) {
        throw conflict(`dead letter ${letterId} belongs to another environment's topic`, { reason: 'FOREIGN_TOPIC' });
      }
      await publish(letter.topic, {
        key: letter.messageKey,
        value: letter.messageValue,
        headers: { 'event-id': eventId, 'replay-of': `${letter.topic}/${letter.partition}/${letter.offset}` },
      });
      return deadLetterRepository.markReplayed(prisma, letterId);
    },
  };
}

export type DeadLetterUseCases = ReturnType<typeof deadLetterUseCases>;
