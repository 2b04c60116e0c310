import { Pool } from 'undici';
import type { ReadResult } from './reads';
import { percentile } from './stats';

/**
 * One GraphQL query sent at a fixed arrival rate, evenly spaced (request i is due at start + i /
 * rate), each latency counted from its due time, so a slow answer cannot slow the load down and
 * hide itself. autocannon's `overallRate` sends each second's requests in bursts, which measured
 * its own queue: p99 of 344 ms for answers the gateway gave in 1-8 ms.
 */
export async function measureAtFixedRate(
  url: string,
  query: string,
  options: { ratePerSecond: number; seconds: number; connections: number; headers?: Record<string, string> },
): Promise<ReadResult> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: options.connections, keepAliveTimeout: 30_000 });
  const body = JSON.stringify({ query });
  const total = Math.round(options.ratePerSecond * options.seconds);
  const latencies: number[] = [];
  let failures = 0;
  const startedAt = performance.now();
  const requests: Promise<void>[] = [];
  for (let index = 0; index < total; index += 1) {
    const dueAt = startedAt + (index * 1000) / options.ratePerSecond;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((wake) => setTimeout(wake, wait));
    requests.push(
      pool
        .request({
          path: pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', ...options.headers },
          body,
          signal: AbortSignal.timeout(10_000),
        })
        .then(async (response) => {
          const text = await response.body.text();
          if (response.statusCode !== 200 || text.includes('"errors"')) failures += 1;
          else latencies.push(performance.now() - dueAt);
        })
        .catch(() => {
          failures += 1;
        }),
    );
  }
  await Promise.all(requests);
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  await pool.close();
  return {
    requestsPerSecond: latencies.length / elapsedSeconds,
    p50Ms: percentile(latencies, 0.5) ?? Number.NaN,
    p99Ms: percentile(latencies, 0.99) ?? Number.NaN,
    failures,
  };
}
