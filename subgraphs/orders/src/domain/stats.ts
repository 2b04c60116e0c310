import type { EntityReference } from '@io/graphql/references';
import { pageSize, windowMinutes } from '@io/graphql/paging';
import { Prisma } from '../__generated__/prisma/client';
import { orderRepository } from '../data/orders';
import type { OrdersPrisma } from '../data/prisma';

/** @public the generated resolver types map OrderStats to it (subgraphs/orders/codegen.ts) */
export type OrderSummary = Awaited<ReturnType<ReturnType<typeof orderStats>['summary']>>;
/** @public the generated resolver types map ProductSales to it (subgraphs/orders/codegen.ts) */
export type ProductSalesRow = { product: EntityReference; quantity: number; revenue: string };

/** Figures for the operator's front page, each from one aggregate query. */
export function orderStats(prisma: OrdersPrisma) {
  return {
    async summary() {
      const [byStatus, byType, sells] = await Promise.all([
        orderRepository.countsByStatus(prisma),
        orderRepository.countsByType(prisma),
        orderRepository.confirmedSells(prisma),
      ]);
      const revenue = sells._sum.totalAmount ?? new Prisma.Decimal(0);
      const sellCount = sells._count._all;
      return {
        totalOrders: byStatus.reduce((sum, row) => sum + row._count._all, 0),
        byStatus: byStatus.map((row) => ({ status: row.status, count: row._count._all })),
        byType: byType.map((row) => ({ orderType: row.orderType, count: row._count._all })),
        confirmedSellRevenue: revenue.toFixed(2),
        averageOrderValue: sellCount === 0 ? '0.00' : revenue.dividedBy(sellCount).toFixed(2),
      };
    },

    /** Orders per minute by outcome and created → decided latency, for the dashboard's charts. */
    async timeline(minutes: number | null | undefined) {
      const rows = await orderRepository.timeline(prisma, windowMinutes(minutes));
      return rows.map(({ p50, p99, ...row }) => ({
        ...row,
        latencyP50Ms: p50 === null ? null : Number(p50),
        latencyP99Ms: p99 === null ? null : Number(p99),
      }));
    },

    async topProducts(limit: number) {
      const rows = await orderRepository.topSoldProducts(prisma, pageSize(limit, 5, 100));
      return rows.map((row) => ({
        product: { id: String(row.productId) },
        quantity: Number(row.quantity),
        revenue: new Prisma.Decimal(row.revenue).toFixed(2),
      }));
    },
  };
}

export type OrderStatsUseCases = ReturnType<typeof orderStats>;
