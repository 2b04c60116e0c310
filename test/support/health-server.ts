import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Local HTTP servers that answer a /health URL as a test says, closed after each test (call at a
 * test file's top level: it registers the afterEach).
 */
export function healthServers() {
  const servers = new Map<string, Server>();

  async function close(url: string): Promise<void> {
    const server = servers.get(url);
    if (!server) return;
    servers.delete(url);
    server.closeAllConnections();
    await new Promise((closed) => server.close(closed));
  }

  afterEach(async () => {
    for (const url of [...servers.keys()]) await close(url);
  });

  return {
    /** Starts a server on a free port; resolves to its /health URL. */
    async serve(listener: RequestListener): Promise<string> {
      const server = createServer(listener);
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
      servers.set(url, server);
      return url;
    },
    /** Stops the server behind `url`, so that connecting to it is refused. */
    close,
  };
}
