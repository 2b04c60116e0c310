import { Agent } from 'undici';

/**
 * The gateway's connection pool to its subgraphs: connections stay open between requests, and
 * idle ones are closed by the gateway after 30 s, before the subgraphs' 65 s (lib/service/keep-alive.ts),
 * so a request never goes out on a socket the server is closing.
 */
export function createSubgraphAgent(connectTimeoutMs: number): Agent {
  return new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 30_000, connect: { timeout: connectTimeoutMs } });
}
