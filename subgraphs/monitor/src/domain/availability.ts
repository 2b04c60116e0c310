import type { StatusCounts } from '../data/health-checks';

/** Share of HEALTHY probes among all probes counted; null when there were none. */
export function availability(counts: StatusCounts): number | null {
  const healthy = counts.HEALTHY ?? 0;
  const total = healthy + (counts.UNHEALTHY ?? 0) + (counts.DOWN ?? 0);
  return total === 0 ? null : healthy / total;
}
