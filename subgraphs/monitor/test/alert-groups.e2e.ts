import { orderProcessed, stockLevelChanged, type OrderProcessed, type StockLevelChanged } from '@io/events/catalog';
import { createEnvelope } from '@io/events/envelope';
import { useSliceDatabase } from '../../../test/support/slice-database';
import * as monitorData from '../src/data/prisma';
import { handleOrderProcessed, handleStockLevelChanged } from '../src/domain/alert-events';

const db = useSliceDatabase(monitorData);

let nextOrderId = 1;
const rejected = (productId: number): OrderProcessed => ({
  orderId: nextOrderId++,
  outcome: 'REJECTED',
  rejection: { code: 'INSUFFICIENT_STOCK', message: `product ${productId}: 1 wanted, 0 in stock`, productId },
});

const rows = async (alertType: string) =>
  (
    await db.pool.query<{ id: number; state: string; count: number; entity_id: string | null }>(
      'SELECT id, state, count, entity_id FROM monitor.alerts WHERE alert_type = $1 ORDER BY id',
      [alertType],
    )
  ).rows;

const announcements = async () =>
  (
    await db.pool.query<{ alertId: number; count: number; repeated: boolean }>(
      `SELECT (payload->'data'->>'alertId')::int AS "alertId", (payload->'data'->>'count')::int AS count,
         (payload->'data'->>'repeated')::boolean AS repeated
       FROM monitor.outbox_events WHERE topic = 'alert-raised' ORDER BY sequence`,
    )
  ).rows;

test('concurrent batches of rejections for one product and reason count on one alert, announced once per batch', async () => {
  const batches = Array.from({ length: 8 }, () =>
    Array.from({ length: 25 }, () => createEnvelope(orderProcessed, rejected(41))),
  );
  // A second product's rejections in the same batches form a group of their own.
  batches[0].push(createEnvelope(orderProcessed, rejected(42)));
  batches[5].push(createEnvelope(orderProcessed, rejected(42)));

  await Promise.all(batches.map((batch) => handleOrderProcessed(db.prisma, batch)));
  // Redelivered batches (Kafka delivers at least once) count nothing again.
  await Promise.all(batches.slice(0, 2).map((batch) => handleOrderProcessed(db.prisma, batch)));

  const alerts = await rows('ORDER_REJECTED');
  expect(alerts).toEqual([
    expect.objectContaining({ state: 'OPEN', entity_id: expect.stringMatching(/^4[12]$/) }),
    expect.objectContaining({ state: 'OPEN', entity_id: expect.stringMatching(/^4[12]$/) }),
  ]);
  const byProduct = Object.fromEntries(alerts.map((alert) => [alert.entity_id, alert]));
  expect(byProduct['41'].count).toBe(200);
  expect(byProduct['42'].count).toBe(2);

  const announced = (await announcements()).filter((event) => event.alertId === byProduct['41'].id);
  expect(announced).toHaveLength(8);
  expect(announced.filter((event) => !event.repeated)).toEqual([
    { alertId: byProduct['41'].id, count: 25, repeated: false },
  ]);
  expect(announced.map((event) => event.count)).toEqual([25, 50, 75, 100, 125, 150, 175, 200]);
});

test('a resolved group starts afresh: the next rejection raises a new alert', async () => {
  await handleOrderProcessed(db.prisma, [createEnvelope(orderProcessed, rejected(43))]);
  await db.pool.query(`UPDATE monitor.alerts SET state = 'RESOLVED', resolved_at = now() WHERE entity_id = '43'`);
  await handleOrderProcessed(db.prisma, [
    createEnvelope(orderProcessed, rejected(43)),
    createEnvelope(orderProcessed, rejected(43)),
  ]);
  const alerts = (await rows('ORDER_REJECTED')).filter((alert) => alert.entity_id === '43');
  expect(alerts.map(({ state, count }) => ({ state, count }))).toEqual([
    { state: 'RESOLVED', count: 1 },
    { state: 'OPEN', count: 2 },
  ]);
});

test('within one batch, a resolve between two raises of a condition is applied in event order', async () => {
  const level = (previousLevel: 'OK' | 'LOW', next: 'OK' | 'LOW'): StockLevelChanged => ({
    productId: 50,
    productName: 'Kettle',
    previousLevel,
    level: next,
    stockQuantity: next === 'LOW' ? 1 : 9,
    minStockLevel: 2,
    stockVersion: 1,
  });
  await handleStockLevelChanged(db.prisma, [
    createEnvelope(stockLevelChanged, level('OK', 'LOW')),
    createEnvelope(stockLevelChanged, level('LOW', 'OK')),
    createEnvelope(stockLevelChanged, level('OK', 'LOW')),
    createEnvelope(stockLevelChanged, level('LOW', 'LOW')),
  ]);
  expect((await rows('LOW_STOCK')).map(({ state, count }) => ({ state, count }))).toEqual([
    { state: 'RESOLVED', count: 1 },
    { state: 'OPEN', count: 2 },
  ]);
});
