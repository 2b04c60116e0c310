import { Client } from 'pg';
import { createKafka, type KafkaConnection } from '@io/kafka/client';
import { createLogger } from '@io/logger';
import type { EventHandler } from '@io/kafka/consumer';
import { fromProjectRoot } from '@io/project-root';
import { subgraphNames, subgraphs, type SubgraphEntry } from '@io/registry';
import { waitFor } from '../../support/wait-for';

/**
 * The check after every fault scenario, read from outside the services (SQL and Kafka's admin API):
 * each line it returns is a broken invariant. Settled means: nothing left to publish, nothing left
 * to consume, no order waiting; only then are the books compared.
 */
export interface LedgerTarget {
  databaseUrl: string;
  /** The admin's connection to the system's broker. */
  kafka: KafkaConnection;
  prefix: string;
}

export async function sql<T extends Record<string, unknown>>(
  databaseUrl: string,
  query: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(query, params)).rows;
  } finally {
    await client.end();
  }
}

const decided = `('CONFIRMED', 'REJECTED')`;
const applied = `('CONFIRMED', 'SHIPPED', 'COMPLETED')`;

/** Books that must balance once the system is settled; each query returns the rows that do not. */
const bookChecks: Record<string, string> = {
  'stock differs from the sum of its movements, or is negative': `
    SELECT p.id, p.stock_quantity, COALESCE(SUM(m.quantity_change), 0)::int AS movements
    FROM inventory.products p LEFT JOIN inventory.stock_movements m ON m.product_id = p.id
    GROUP BY p.id HAVING p.stock_quantity <> COALESCE(SUM(m.quantity_change), 0) OR p.stock_quantity < 0`,
  'order still PENDING': `SELECT id FROM orders.orders WHERE status = 'PENDING'`,
  'order decided (CONFIRMED or REJECTED) more or less than once, created more than once, or cancelled twice': `
    SELECT o.id, o.status,
      count(*) FILTER (WHERE c.to_status IN ${decided})::int AS decisions,
      count(*) FILTER (WHERE c.to_status = 'PENDING')::int AS creations,
      count(*) FILTER (WHERE c.to_status = 'CANCELLED')::int AS cancellations
    FROM orders.orders o JOIN orders.order_status_changes c ON c.order_id = o.id
    GROUP BY o.id, o.status
    HAVING count(*) FILTER (WHERE c.to_status = 'PENDING') <> 1
        OR count(*) FILTER (WHERE c.to_status = 'CANCELLED') > 1
        OR count(*) FILTER (WHERE c.to_status IN ${decided}) > 1
        OR (o.status <> 'CANCELLED' AND count(*) FILTER (WHERE c.to_status IN ${decided}) <> 1)`,
  "inventory's record of an order disagrees with the order's status": `
    SELECT o.id, o.status, e.state
    FROM orders.orders o LEFT JOIN inventory.order_stock_effects e ON e.order_id = o.id
    WHERE (o.status IN ${applied}) <> (e.state IS NOT DISTINCT FROM 'APPLIED')`,
  'final stock is not initial stock plus confirmed orders plus adjustments': `
    WITH initial AS (
      SELECT product_id, SUM(quantity_change) FILTER (WHERE movement_type = 'INITIAL') AS stock,
             COALESCE(SUM(quantity_change) FILTER (WHERE movement_type = 'ADJUSTMENT'), 0) AS adjusted
      FROM inventory.stock_movements GROUP BY product_id),
    ordered AS (
      SELECT i.product_id, SUM(CASE o.order_type WHEN 'BUY' THEN i.quantity ELSE -i.quantity END) AS net
      FROM orders.orders o JOIN orders.order_items i ON i.order_id = o.id
      WHERE o.status IN ${applied} GROUP BY i.product_id)
    SELECT p.id, p.stock_quantity, initial.stock AS initial, COALESCE(ordered.net, 0) AS confirmed, initial.adjusted
    FROM inventory.products p JOIN initial ON initial.product_id = p.id
    LEFT JOIN ordered ON ordered.product_id = p.id
    WHERE p.stock_quantity <> initial.stock + COALESCE(ordered.net, 0) + initial.adjusted`,
};

async function unpublishedOutboxRows(databaseUrl: string): Promise<number> {
  let total = 0;
  for (const slice of subgraphNames) {
    const [{ count }] = await sql<{ count: number }>(
      databaseUrl,
      `SELECT count(*)::int AS count FROM ${slice}.outbox_events WHERE published_at IS NULL`,
    );
    total += count;
  }
  return total;
}

/** The topics a service consumes: its handlers' (built without a database; nothing runs). */
function topicsConsumedBy(entry: SubgraphEntry): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
  const module = require(fromProjectRoot(entry.eventHandlers.module)) as Record<
    string,
    (...deps: never[]) => EventHandler<unknown>[]
  >;
  return module[entry.eventHandlers.export](undefined as never, undefined as never).map((h) => h.event.topic);
}

/** Messages each service's consumer group has not committed yet, over every topic it reads. */
async function consumerLag(target: LedgerTarget): Promise<Record<string, number>> {
  const admin = createKafka('ledger', target.kafka, createLogger('ledger', 'silent')).admin();
  await admin.connect();
  try {
    const lag: Record<string, number> = {};
    for (const entry of subgraphs) {
      const topics = [...new Set(topicsConsumedBy(entry))].map((topic) => `${target.prefix}${topic}`);
      let behind = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({
        groupId: `${target.prefix}${entry.name}-service`,
        topics,
      })) {
        const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
        // A partition the group never committed (-1) is behind by everything in it.
        for (const { partition, offset } of partitions)
          behind += (ends.get(partition) ?? 0) - Math.max(Number(offset), 0);
      }
      lag[entry.name] = behind;
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Where each order still PENDING stopped in the saga (up to 5): its order-created event published
 * or not, consumed by inventory or not, decided there, its order-processed published, consumed by
 * orders. Read when the system does not settle, so the report names the lost hop.
 */
async function pendingOrderTrails(databaseUrl: string): Promise<unknown[]> {
  return sql(
    databaseUrl,
    `SELECT o.id, o.created_at AS "createdAt",
            created_out.id AS "orderCreatedEvent", created_out.published_at AS "orderCreatedPublished",
            inventory_in.processed_at AS "inventoryConsumed", effect.state AS "inventoryDecided",
            processed_out.id AS "orderProcessedEvent", processed_out.published_at AS "orderProcessedPublished",
            orders_in.processed_at AS "ordersConsumed"
     FROM orders.orders o
     LEFT JOIN orders.outbox_events created_out ON created_out.key = o.id::text AND created_out.topic = 'order-created'
     LEFT JOIN inventory.processed_events inventory_in ON inventory_in.event_id = created_out.id
     LEFT JOIN inventory.order_stock_effects effect ON effect.order_id = o.id
     LEFT JOIN inventory.outbox_events processed_out ON processed_out.key = o.id::text AND processed_out.topic = 'order-processed'
     LEFT JOIN orders.processed_events orders_in ON orders_in.event_id = processed_out.id
     WHERE o.status = 'PENDING' ORDER BY o.id LIMIT 5`,
  );
}

/** Waits until nothing is left to publish, consume or decide (or `timeoutMs`), then reads the books. */
export async function settledLedger(target: LedgerTarget, timeoutMs = 120_000): Promise<string[]> {
  const state = async () => ({
    unpublished: await unpublishedOutboxRows(target.databaseUrl),
    pending: (
      await sql<{ count: number }>(
        target.databaseUrl,
        `SELECT count(*)::int AS count FROM orders.orders WHERE status = 'PENDING'`,
      )
    )[0].count,
    lag: await consumerLag(target),
  });
  let last = await state();
  const settled = (s: typeof last) =>
    s.unpublished === 0 && s.pending === 0 && Object.values(s.lag).every((n) => n === 0);
  try {
    await waitFor(async () => settled((last = await state())), timeoutMs, 'the system to settle', 500);
  } catch {
    const trails =
      last.pending > 0 ? `; orders still PENDING: ${JSON.stringify(await pendingOrderTrails(target.databaseUrl))}` : '';
    return [`not settled after ${timeoutMs} ms: ${JSON.stringify(last)}${trails}`];
  }
  const violations: string[] = [];
  for (const [broken, query] of Object.entries(bookChecks)) {
    const rows = await sql(target.databaseUrl, query);
    if (rows.length > 0) violations.push(`${broken}: ${rows.length} rows, e.g. ${JSON.stringify(rows.slice(0, 3))}`);
  }
  return violations;
}
