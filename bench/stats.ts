/**
 * Nearest-rank percentile (p in 0..1) of values that may include Infinity for observations that
 * never completed (censored), so an unfinished order counts as slower than every finished one.
 * Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

export interface Distribution {
  count: number;
  p50?: number;
  p99?: number;
  max?: number;
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: percentile(values, 1),
  };
}
