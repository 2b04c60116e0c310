import { servicePort, subgraphUrl, type Config } from '@io/config';
import { serviceNamed, type ServiceName } from '@io/registry';

/** A subgraph's health path next to its GraphQL endpoint: http://host:4001/graphql → http://host:4001/health. */
export function healthUrl(graphqlUrl: string, healthPath = '/health'): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + healthPath;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Where a registered service answers its health probe, as configured (its URL variable, else its local port). */
export function serviceHealthUrl(config: Config, name: ServiceName): string {
  const entry = serviceNamed(name);
  if (entry.kind === 'subgraph') return healthUrl(subgraphUrl(config, entry.name), entry.healthPath);
  const base = config[entry.urlVariable] ?? `http://127.0.0.1:${servicePort(config, name)}`;
  return `${base.replace(/\/$/, '')}${entry.healthPath}`;
}
