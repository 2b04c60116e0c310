import { settledLedger, sql, type LedgerTarget } from './ledger';
import type { SentOrders, StatusWatcher } from './load';

/**
 * What a scenario that kills processes under clients retrying with idempotency keys must end with:
 * no client gave up, every intended order was acknowledged and stored exactly once, the ledger
 * settled exact, and the subscriber saw every order reach its outcome.
 */
export async function expectEveryOrderOnce(
  system: LedgerTarget,
  sent: SentOrders,
  intended: number,
  watcher: StatusWatcher,
): Promise<void> {
  expect(sent.failed).toEqual([]);
  // The books first: when something is stuck, their report says what (outbox, lag, pending orders).
  expect(await settledLedger(system, 240_000)).toEqual([]);
  await watcher.waitForFinal(sent.acked, 240_000);
  await watcher.close();
  const [{ stored }] = await sql<{ stored: number }>(
    system.databaseUrl,
    `SELECT count(*)::int AS stored FROM orders.orders`,
  );
  expect(stored).toBe(intended);
  expect(new Set(sent.acked).size).toBe(intended);
}
