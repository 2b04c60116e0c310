import { readyPath } from '@io/service/health-routes';
import { healthUrl } from '@io/service/health-url';
import { httpGet } from '@io/service/http-get';
import { serviceNamed } from '@io/registry';
import type { SubgraphName } from './supergraph';

export type SubgraphHealth = 'healthy' | 'unhealthy' | 'down';

/** Probes every subgraph's /health; the gateway is healthy only when all of them are. */
export async function subgraphHealth(urls: Record<SubgraphName, string>): Promise<Record<string, SubgraphHealth>> {
  const entries = await Promise.all(
    (Object.entries(urls) as [SubgraphName, string][]).map(async ([name, url]): Promise<[string, SubgraphHealth]> => {
      try {
        const { ok } = await httpGet(healthUrl(url, serviceNamed(name).healthPath), 2000);
        return [name, ok ? 'healthy' : 'unhealthy'];
      } catch {
        return [name, 'down'];
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** A subgraph's readiness as the gateway needs it: its /health/ready answers 200 (database and Kafka). */
export async function subgraphReady(url: string): Promise<void> {
  const { ok, status } = await httpGet(healthUrl(url, readyPath), 2000);
  if (!ok) throw new Error(`HTTP ${status}`);
}
