import { settledLedger, sql } from './support/ledger';
import { createProducts, graphql, sendOrders } from './support/load';
import { startProcessSystem, type ProcessSystem } from './support/process-system';
import { scaled } from './support/scale';

/**
 * Scenario 5, cancel storm: confirmed and pending orders each cancelled twice at once, while new
 * orders arrive. Inventory gives back exactly what the cancelled orders had taken, once each.
 */
let system: ProcessSystem;

beforeAll(async () => {
  system = await startProcessSystem({ brokers: process.env.KAFKA_BROKERS!.split(',') });
}, 180_000);

afterAll(async () => {
  await system?.close();
});

const cancel = (id: string) =>
  graphql<{ cancelOrder: { status: string } }>(
    system.gatewayUrls()[0],
    `
      mutation ($id: ID!) {
        cancelOrder(id: $id, reason: "storm") {
          status
        }
      }
    `,
    { id },
  );

test('100 confirmed and 50 pending orders cancelled twice each, concurrently with 500 new orders', async () => {
  const products = await createProducts(system.gatewayUrls()[0], Array(10).fill(10_000));
  const line = (index: number) => ({
    orderType: 'SELL' as const,
    productId: products[index % products.length],
    quantity: 1 + (index % 3),
  });
  const gateways = () => system.gatewayUrls();

  const confirmed = await sendOrders(
    gateways,
    Array.from({ length: scaled(100) }, (_, i) => line(i)),
  );
  expect(confirmed.failed).toEqual([]);
  const waitUntilDecided = async () => {
    for (;;) {
      const [{ pending }] = await sql<{ pending: number }>(
        system.databaseUrl,
        `SELECT count(*)::int AS pending FROM orders.orders WHERE status = 'PENDING'`,
      );
      if (pending === 0) return;
      await new Promise((wake) => setTimeout(wake, 200));
    }
  };
  await waitUntilDecided();

  // Pending orders: inventory is away while they are taken, so nothing decides them yet.
  const [inventory] = system.instancesOf('inventory');
  inventory.child.kill('SIGTERM');
  expect(await inventory.exited).toBe(0);
  const pending = await sendOrders(
    gateways,
    Array.from({ length: scaled(50) }, (_, i) => line(i + 1)),
  );
  expect(pending.failed).toEqual([]);

  const toCancel = [...confirmed.acked, ...pending.acked];
  const [answers, fresh] = await Promise.all([
    Promise.all([...toCancel, ...toCancel].map(cancel)),
    sendOrders(
      gateways,
      Array.from({ length: scaled(500) }, (_, i) => line(i + 2)),
      { concurrency: 8 },
    ),
    // Inventory comes back in the middle of the storm.
    new Promise((wake) => setTimeout(wake, 500)).then(() => system.restart(inventory)),
  ]);
  expect(fresh.failed).toEqual([]);

  // Each order: one cancellation accepted, the other refused as a CONFLICT (never an internal error).
  const outcomes = new Map<string, string[]>();
  [...toCancel, ...toCancel].forEach((id, index) => {
    const answer = answers[index];
    const outcome = answer.data?.cancelOrder?.status ?? answer.errors?.[0]?.extensions?.code ?? 'NONE';
    outcomes.set(id, [...(outcomes.get(id) ?? []), outcome].sort());
  });
  expect(new Set([...outcomes.values()].map((pair) => pair.join(',')))).toEqual(new Set(['CANCELLED,CONFLICT']));

  expect(await settledLedger(system)).toEqual([]);
  // Stock given back equals what the cancelled orders had taken: every SALE of a cancelled order has
  // exactly one RETURN of the same size, and no other order got anything back.
  const returns = await sql<{ reference_id: string; sold: number; returned: number }>(
    system.databaseUrl,
    `SELECT reference_id,
            -COALESCE(SUM(quantity_change) FILTER (WHERE movement_type = 'SALE'), 0)::int AS sold,
            COALESCE(SUM(quantity_change) FILTER (WHERE movement_type = 'RETURN'), 0)::int AS returned,
            count(*) FILTER (WHERE movement_type = 'RETURN')::int AS return_movements
     FROM inventory.stock_movements WHERE movement_type IN ('SALE', 'RETURN') GROUP BY reference_id`,
  );
  const cancelled = new Set(toCancel.map((id) => `order:${id}`));
  for (const row of returns) {
    const expected = cancelled.has(row.reference_id) ? row.sold : 0;
    expect({ order: row.reference_id, returned: row.returned }).toEqual({
      order: row.reference_id,
      returned: expected,
    });
  }
  const returnedTotal = returns.reduce((sum, row) => sum + row.returned, 0);
  const confirmedQuantity = confirmed.acked.reduce((sum, _id, index) => sum + line(index).quantity, 0);
  // All of the first 100 had been confirmed, so at least their quantities came back.
  expect(returnedTotal).toBeGreaterThanOrEqual(confirmedQuantity);
});
