import * as slice from '@io/db/slice';
import type { Prisma } from '../__generated__/prisma/client';
import type { OrdersPrisma } from './prisma';

export type Tx = Prisma.TransactionClient;

export const inTransaction = <T>(prisma: OrdersPrisma, work: (tx: Tx) => Promise<T>): Promise<T> => slice.inTransaction(prisma, work);

/** The events' effects and their processed-event records commit together; duplicates are left out of `fresh`. */
export const onceForEvents = <E extends { id: string }, T>(prisma: OrdersPrisma, events: readonly E[], topic: string, work: (tx: Tx, fresh: E[]) => Promise<T>): Promise<T | undefined> =>
  slice.onceForEvents(prisma, events, topic, work);
