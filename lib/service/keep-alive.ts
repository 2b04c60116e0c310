import type { Server } from 'node:http';

/**
 * Node closes an idle keep-alive connection after 5 s. A client (the gateway's pooled agent) that
 * reuses the socket at that very moment gets ECONNRESET on a request the server never saw. Servers
 * keep idle connections longer than clients do, so it is always the client that closes them.
 */
export function keepConnectionsLongerThanClients(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
