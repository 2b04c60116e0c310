import type { Client } from 'pg';

export interface LedgerReport {
  passed: boolean;
  failures: string[];
  products: number;
  orders: Record<string, number>;
}

/**
 * The saga's invariants, read from the bench database by SQL: each product's stock equals the sum
 * of its movements and is not negative; no order is left PENDING; and what confirmed SELL orders
 * took equals the stock each product lost since the bench created it (no BUY or cancellation runs).
 */
export async function checkLedger(client: Client, initialStock: ReadonlyMap<string, number>): Promise<LedgerReport> {
  const failures: string[] = [];
  const { rows: statuses } = await client.query<{ status: string; count: string }>(
    'SELECT status::text AS status, count(*) AS count FROM orders.orders GROUP BY status ORDER BY status',
  );
  const orders = Object.fromEntries(statuses.map((row) => [row.status, Number(row.count)]));
  const pending = orders.PENDING ?? 0;
  if (pending > 0)
    failures.push(
      `${pending} orders left PENDING (so sold = initial − final stock is not checked: inventory may have taken stock for an order that orders has not yet marked)`,
    );
  const { rows: products } = await client.query<{
    id: string;
    stock: number;
    movements: string | null;
    sold: string | null;
  }>(`
    SELECT p.id::text AS id, p.stock_quantity AS stock,
           (SELECT sum(m.quantity_change) FROM inventory.stock_movements m WHERE m.product_id = p.id) AS movements,
           (SELECT sum(i.quantity) FROM orders.order_items i JOIN orders.orders o ON o.id = i.order_id
             WHERE i.product_id = p.id AND o.order_type = 'SELL' AND o.status = 'CONFIRMED') AS sold
      FROM inventory.products p ORDER BY p.id`);
  for (const product of products) {
    const movements = Number(product.movements ?? 0);
    const sold = Number(product.sold ?? 0);
    if (product.stock < 0) failures.push(`product ${product.id}: stock ${product.stock} < 0`);
    if (movements !== product.stock)
      failures.push(`product ${product.id}: stock ${product.stock} ≠ sum of movements ${movements}`);
    const initial = initialStock.get(product.id);
    if (initial === undefined) failures.push(`product ${product.id}: not created by the bench`);
    else if (pending === 0 && initial - product.stock !== sold)
      failures.push(
        `product ${product.id}: confirmed SELL quantity ${sold} ≠ initial ${initial} − final ${product.stock}`,
      );
  }
  if (products.length !== initialStock.size)
    failures.push(`${products.length} products in the database, ${initialStock.size} created`);
  return { passed: failures.length === 0, failures, products: products.length, orders };
}

/** Ids and statuses of every order that reached a final status (CONFIRMED or REJECTED). */
export async function finalOrders(client: Client): Promise<Map<string, string>> {
  const { rows } = await client.query<{ id: string; status: string }>(
    "SELECT id::text AS id, status::text AS status FROM orders.orders WHERE status IN ('CONFIRMED', 'REJECTED')",
  );
  return new Map(rows.map((row) => [row.id, row.status]));
}

/**
 * Orders that reached CONFIRMED or REJECTED in [from, to) (epoch ms), by the time the orders service
 * recorded it: unlike the subscriber's count, it cannot be lowered by dropped events.
 */
export async function finalizedBetween(client: Client, from: number, to: number): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    `SELECT count(*) AS count FROM orders.orders
      WHERE status IN ('CONFIRMED', 'REJECTED') AND updated_at >= to_timestamp($1 / 1000.0) AND updated_at < to_timestamp($2 / 1000.0)`,
    [from, to],
  );
  return Number(rows[0].count);
}

export async function pendingCount(client: Client): Promise<number> {
  const { rows } = await client.query<{ count: string }>(
    "SELECT count(*) AS count FROM orders.orders WHERE status = 'PENDING'",
  );
  return Number(rows[0].count);
}
