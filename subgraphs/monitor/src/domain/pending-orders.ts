import type { OrderStatusChanged } from '@io/events/catalog';
import type { Envelope } from '@io/events/envelope';
import type { Logger } from '@io/logger';
import { inTransaction } from '@io/db/slice';
import { pendingOrderRepository } from '../data/pending-orders';
import type { MonitorPrisma } from '../data/prisma';
import type { AlertDecision } from './alert-rules';
import { applyDecision } from './alerts';

const conditionKeyPrefix = 'order-pending:';
const conditionKey = (orderId: number) => `${conditionKeyPrefix}${orderId}`;

/**
 * Follows which orders wait for inventory's verdict, from the orders' status changes: an order
 * enters the list when it is created PENDING and leaves it (resolving its alert, if one was raised)
 * at its first other status. One order's events share a partition, so they come in order; within
 * a batch an order's last event decides. Idempotent: a redelivered batch leaves the same list.
 */
export async function trackPendingOrders(prisma: MonitorPrisma, events: Envelope<OrderStatusChanged>[]): Promise<void> {
  const latest = new Map<number, OrderStatusChanged>();
  for (const { data } of events) latest.set(data.orderId, data);
  const waiting = [...latest.values()]
    .filter((change) => change.to === 'PENDING')
    .map((change) => ({ orderId: change.orderId, pendingSince: change.changedAt }));
  const decided = [...latest.values()].filter((change) => change.to !== 'PENDING').map((change) => change.orderId);
  await pendingOrderRepository.recordBatch(prisma, waiting, decided, decided.map(conditionKey));
}

/** An order that waited too long: inventory never decided it (down, stuck, or its event lost). */
export function pendingTooLongRule(orderId: number, pendingSince: Date, now: Date, limitMs: number): AlertDecision {
  const seconds = Math.round((now.getTime() - pendingSince.getTime()) / 1000);
  return {
    raise: {
      alertType: 'ORDER_PENDING_TOO_LONG',
      severity: 'WARNING',
      source: 'orders',
      message: `order ${orderId} has been PENDING for ${seconds} s (the limit is ${Math.round(limitMs / 1000)} s): inventory has not decided it`,
      entityType: 'Order',
      entityId: String(orderId),
      conditionKey: conditionKey(orderId),
    },
    resolve: [],
  };
}

/** Alerts raised per round: a backlog of stuck orders is alerted over a few rounds, oldest first. */
const raisedPerRound = 200;

export interface PendingOrderWatch {
  checkNow: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Raises ORDER_PENDING_TOO_LONG for every order PENDING longer than `limitMs`, once per order (a
 * raised alert stays until the order leaves PENDING), several times per `limitMs`, so an alert
 * comes at most about a quarter of the limit late. With several monitor replicas, the one that
 * takes a transaction-scoped advisory lock does a round and the others skip it (no connection is
 * held between rounds); were two to race anyway, the alerts' unique index raises each once.
 */
export function startPendingOrderWatch(options: {
  prisma: MonitorPrisma;
  limitMs: number;
  logger: Logger;
}): PendingOrderWatch {
  const { prisma, limitMs, logger } = options;
  const intervalMs = Math.min(Math.max(Math.floor(limitMs / 4), 250), 10_000);
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function round(): Promise<void> {
    await inTransaction(prisma, async (tx) => {
      if (!(await pendingOrderRepository.tryRoundLock(tx))) return;
      const now = new Date();
      const overdue = await pendingOrderRepository.overdueWithoutAlert(
        tx,
        new Date(now.getTime() - limitMs),
        conditionKeyPrefix,
        raisedPerRound,
      );
      for (const order of overdue)
        await applyDecision(tx, pendingTooLongRule(order.orderId, order.pendingSince, now, limitMs));
    });
  }

  const checkNow = (): Promise<void> => {
    running ??= round().finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void checkNow()
        .catch((error: unknown) => logger.error({ err: error }, 'pending-order watch: round failed'))
        .finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    checkNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
