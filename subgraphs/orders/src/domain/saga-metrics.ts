import { Histogram } from 'prom-client';
import type { ServiceMetrics } from '@io/metrics/metrics';
import type { OrderStatus } from '../__generated__/prisma/client';

/** From 5 ms (an idle system) to a minute (a backlog after an outage). */
const sagaBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The saga's own latency: an order's creation to the outcome inventory decided (CONFIRMED or
 * REJECTED), as stored, by outcome. Both ends are the database's clock (created_at, and updated_at
 * set by the transaction that stored the outcome), so no clock of another process skews it.
 */
export function sagaMetrics(metrics: ServiceMetrics) {
  const histogram = new Histogram({
    name: 'saga_order_finalize_seconds',
    help: 'Order created to final saga status (CONFIRMED or REJECTED) stored, by status',
    labelNames: ['status'] as const,
    buckets: sagaBuckets,
    registers: [metrics.registry],
  });
  return {
    finalized: (orders: readonly { status: OrderStatus; createdAt: Date; updatedAt: Date }[]): void => {
      for (const order of orders) {
        histogram.observe(
          { status: order.status },
          Math.max(order.updatedAt.getTime() - order.createdAt.getTime(), 0) / 1000,
        );
      }
    },
  };
}

export type SagaMetrics = ReturnType<typeof sagaMetrics>;
