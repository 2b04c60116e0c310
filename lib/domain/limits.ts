/**
 * Bounds on quantities and stock, so that no figure the system computes can leave PostgreSQL's
 * `int` (2^31 - 1 = 2,147,483,647): stock at the limit plus the most any single change may add
 * still fits, so a sum is checked against the limit before it is written, never overflows on the
 * way. The migrations hold the same numbers in CHECK constraints (test/facts.test.ts keeps them
 * equal), so no code path can store more.
 */
export const quantityLimits = {
  /** Units of one order line. */
  maxItemQuantity: 1_000_000,
  /** Units of one product on hand, and of its minimum level. */
  maxStock: 2_000_000_000,
} as const;
