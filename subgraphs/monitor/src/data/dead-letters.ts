import type { DeadLetter, Prisma } from '../__generated__/prisma/client';
import type { MonitorPrisma } from './prisma';

type Db = MonitorPrisma | Prisma.TransactionClient;

export type NewDeadLetter = Pick<
  DeadLetter,
  'consumerGroup' | 'topic' | 'partition' | 'offset' | 'messageKey' | 'messageValue' | 'error' | 'attempts'
>;

/** The only module that reads or writes dead letters. */
export const deadLetterRepository = {
  /** Keeps each (group, topic, partition, offset) once, however often it was dead-lettered. */
  saveAll: (db: Db, letters: readonly NewDeadLetter[]) =>
    db.deadLetter.createMany({ data: [...letters], skipDuplicates: true }),

  list: (db: Db, topic: string | null, limit: number, offset: number): Promise<DeadLetter[]> =>
    db.deadLetter.findMany({
      where: topic === null ? {} : { topic },
      orderBy: { id: 'desc' },
      take: limit,
      skip: offset,
    }),

  count: (db: Db, topic: string | null): Promise<number> =>
    db.deadLetter.count({ where: topic === null ? {} : { topic } }),

  findById: (db: Db, id: number): Promise<DeadLetter | null> => db.deadLetter.findUnique({ where: { id } }),

  markReplayed: (db: Db, id: number): Promise<DeadLetter> =>
    db.deadLetter.update({ where: { id }, data: { replayCount: { increment: 1 }, lastReplayedAt: new Date() } }),
};
