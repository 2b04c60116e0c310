/** One scrape of a /metrics endpoint: each series (`name{label="value",...}`) and its value. */
export type Scrape = Map<string, number>;

/** Reads the Prometheus text format (what prom-client writes: one sample per line, labels sorted as registered). */
function parsePrometheus(text: string): Scrape {
  const series: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample: ${line}`);
    series.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return series;
}

export async function scrape(baseUrl: string, token?: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (response.status !== 200) throw new Error(`GET ${baseUrl}/metrics: HTTP ${response.status}`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

/** A series' value (0 when absent, as a counter that never moved is); `labels` in the order they are registered. */
export function sample(scraped: Scrape, name: string, labels: Record<string, string> = {}): number {
  const entries = Object.entries(labels);
  const key = entries.length === 0 ? name : `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
  return scraped.get(key) ?? 0;
}
