import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Prisma as InventoryPrisma } from '../subgraphs/inventory/src/__generated__/prisma/client';
import * as inventory from '../subgraphs/inventory/src/data/prisma';
import * as monitor from '../subgraphs/monitor/src/data/prisma';
import * as orders from '../subgraphs/orders/src/data/prisma';
import { createTestDatabase } from './support/test-database';

/**
 * The guard against hand-written migrations drifting from the Prisma schemas: every model of every
 * slice is written and read back through its generated client against the migrated database.
 */
let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

function sliceClient<P extends { $disconnect(): Promise<void> }>(slice: {
  createPool(url: string): Pool;
  createPrisma(pool: Pool): P;
}) {
  const pool = slice.createPool(database.url);
  const prisma = slice.createPrisma(pool);
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

const outboxRow = () => ({
  id: randomUUID(),
  topic: 'order-created',
  key: '1',
  payload: { nested: { ok: true }, list: [1, 2] },
});

test('inventory: products, stock movements, order stock effects, outbox and processed events round-trip', async () => {
  const { prisma, close } = sliceClient(inventory);
  try {
    const product = await prisma.product.create({
      data: { name: 'Ñandú lamp', price: '1234567890.12', stockQuantity: 5, minStockLevel: 2 },
    });
    const movement = await prisma.stockMovement.create({
      data: {
        productId: product.id,
        quantityChange: 5,
        balanceAfter: 5,
        movementType: 'INITIAL',
        referenceId: 'r',
        notes: 'n',
      },
    });
    const outbox = await prisma.outboxEvent.create({ data: outboxRow() });
    const processed = await prisma.processedEvent.create({ data: { eventId: randomUUID(), topic: 'order-created' } });
    const effect = await prisma.orderStockEffect.create({ data: { orderId: 42, state: 'CANCELLED_FIRST' } });

    expect(await prisma.orderStockEffect.findUniqueOrThrow({ where: { orderId: 42 } })).toEqual(effect);
    expect(await prisma.product.findUniqueOrThrow({ where: { id: product.id }, include: { movements: true } })).toEqual(
      { ...product, movements: [movement] },
    );
    expect(product.price).toEqual(new InventoryPrisma.Decimal('1234567890.12'));
    expect(product).toMatchObject({ description: '', stockVersion: 0 });
    expect(await prisma.outboxEvent.findUniqueOrThrow({ where: { id: outbox.id } })).toEqual(outbox);
    expect(outbox).toMatchObject({ publishedAt: null, sequence: expect.any(BigInt) });
    expect(await prisma.processedEvent.findUniqueOrThrow({ where: { eventId: processed.eventId } })).toEqual(processed);
    await expect(prisma.product.update({ where: { id: product.id }, data: { stockQuantity: -1 } })).rejects.toThrow(
      /products_stock_quantity_check/,
    );
  } finally {
    await close();
  }
});

test('orders: orders, items, status history, outbox and processed events round-trip', async () => {
  const { prisma, close } = sliceClient(orders);
  try {
    const order = await prisma.order.create({
      data: {
        orderType: 'SELL',
        customerName: 'Ana',
        customerEmail: 'ana@example.com',
        totalAmount: '199.98',
        items: { create: [{ productId: 7, productName: null, quantity: 2, unitPrice: '99.99' }] },
        history: { create: [{ fromStatus: null, toStatus: 'PENDING', reason: null }] },
      },
      include: { items: true, history: true },
    });
    const outbox = await prisma.outboxEvent.create({ data: outboxRow() });
    const processed = await prisma.processedEvent.create({ data: { eventId: randomUUID(), topic: 'order-processed' } });

    expect(
      await prisma.order.findUniqueOrThrow({ where: { id: order.id }, include: { items: true, history: true } }),
    ).toEqual(order);
    expect(order).toMatchObject({ status: 'PENDING', failureReason: null });
    expect(await prisma.outboxEvent.findUniqueOrThrow({ where: { id: outbox.id } })).toEqual(outbox);
    expect(await prisma.processedEvent.findUniqueOrThrow({ where: { eventId: processed.eventId } })).toEqual(processed);
  } finally {
    await close();
  }
});

test('monitor: health checks, alerts, outbox and processed events round-trip', async () => {
  const { prisma, close } = sliceClient(monitor);
  try {
    const check = await prisma.healthCheck.create({
      data: { service: 'inventory', status: 'DOWN', responseTimeMs: null, error: 'ECONNREFUSED' },
    });
    const alert = await prisma.alert.create({
      data: {
        alertType: 'LOW_STOCK',
        severity: 'WARNING',
        source: 'inventory',
        message: 'low',
        entityType: 'Product',
        entityId: '1',
        conditionKey: 'low-stock:1',
      },
    });
    const outbox = await prisma.outboxEvent.create({ data: outboxRow() });
    const processed = await prisma.processedEvent.create({ data: { eventId: randomUUID(), topic: 'stock-changed' } });

    expect(await prisma.healthCheck.findUniqueOrThrow({ where: { id: check.id } })).toEqual(check);
    expect(await prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).toEqual(alert);
    expect(alert).toMatchObject({ state: 'OPEN', acknowledgedAt: null, resolvedAt: null });
    expect(await prisma.outboxEvent.findUniqueOrThrow({ where: { id: outbox.id } })).toEqual(outbox);
    expect(await prisma.processedEvent.findUniqueOrThrow({ where: { eventId: processed.eventId } })).toEqual(processed);
    // The partial unique index: one unresolved alert per condition.
    await expect(
      prisma.alert.create({
        data: {
          alertType: 'LOW_STOCK',
          severity: 'WARNING',
          source: 'inventory',
          message: 'again',
          conditionKey: 'low-stock:1',
        },
      }),
    ).rejects.toThrow();
  } finally {
    await close();
  }
});
