import * as slice from '@io/db/slice';
import type { Prisma } from '../__generated__/prisma/client';
import type { InventoryPrisma } from './prisma';

export type Tx = Prisma.TransactionClient;

export const inTransaction = <T>(prisma: InventoryPrisma, work: (tx: Tx) => Promise<T>): Promise<T> => slice.inTransaction(prisma, work);

/** The event's effect and its processed-event record commit together; undefined for a duplicate. */
export const onceForEvent = <T>(prisma: InventoryPrisma, eventId: string, topic: string, work: (tx: Tx) => Promise<T>): Promise<T | undefined> =>
  slice.onceForEvent(prisma, eventId, topic, work);

/** The events' effects and their processed-event records commit together; duplicates are left out of `fresh`. */
export const onceForEvents = <E extends { id: string }, T>(prisma: InventoryPrisma, events: readonly E[], topic: string, work: (tx: Tx, fresh: E[]) => Promise<T>): Promise<T | undefined> =>
  slice.onceForEvents(prisma, events, topic, work);
