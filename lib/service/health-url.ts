/** A subgraph's /health next to its GraphQL endpoint: http://host:4001/graphql → http://host:4001/health. */
export function healthUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '') + '/health';
  url.search = '';
  url.hash = '';
  return url.toString();
}
