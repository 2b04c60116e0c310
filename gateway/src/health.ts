import { readyPath } from '@io/service/health-routes';
import { healthUrl } from '@io/service/health-url';
import { serviceNamed } from '@io/registry';
import type { SubgraphName } from './supergraph';

export type SubgraphHealth = 'healthy' | 'unhealthy' | 'down';

/** Probes every subgraph's /health; the gateway is healthy only when all of them are. */
export async function subgraphHealth(urls: Record<SubgraphName, string>): Promise<Record<string, SubgraphHealth>> {
  const entries = await Promise.all(
    (Object.entries(urls) as [SubgraphName, string][]).map(async ([name, url]): Promise<[string, SubgraphHealth]> => {
      try {
        const response = await fetch(healthUrl(url, serviceNamed(name).healthPath), {
          signal: AbortSignal.timeout(2000),
        });
        return [name, response.ok ? 'healthy' : 'unhealthy'];
      } catch {
        return [name, 'down'];
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** A subgraph's readiness as the gateway needs it: its /health/ready answers 200 (database and Kafka). */
export async function subgraphReady(url: string): Promise<void> {
  const response = await fetch(healthUrl(url, readyPath), { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}
