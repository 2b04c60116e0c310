import { orderProcessed, type OrderProcessed } from '../../../../lib/events/catalog';
import type { Envelope } from '../../../../lib/events/envelope';
import type { AlertState } from '../__generated__/prisma/client';
import { alertRepository } from '../data/alerts';
import type { MonitorPrisma } from '../data/prisma';
import { onceForEvent } from '../data/transactions';

export function alertUseCases(prisma: MonitorPrisma) {
  return {
    list: (state: AlertState | undefined, limit: number) => alertRepository.list(prisma, state, Math.min(Math.max(limit, 0), 500)),
  };
}

export type AlertUseCases = ReturnType<typeof alertUseCases>;

/** A rejected order is a failed order: operators hear of each one once. */
export async function alertOnRejectedOrder(prisma: MonitorPrisma, event: Envelope<OrderProcessed>): Promise<void> {
  const { orderId, outcome, rejection } = event.data;
  if (outcome !== 'REJECTED') return;
  await onceForEvent(prisma, event.id, orderProcessed.topic, (tx) => alertRepository.raiseOnce(tx, {
    alertType: 'ORDER_REJECTED',
    severity: 'WARNING',
    source: 'inventory',
    message: `order ${orderId} rejected: ${rejection?.message ?? 'no reason given'}`,
    entityType: 'Order',
    entityId: String(orderId),
    conditionKey: `order-rejected:${orderId}`,
  }));
}
