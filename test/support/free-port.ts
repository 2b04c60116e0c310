import { createServer } from 'node:net';

/**
 * Ports this process has handed out. The kernel may offer a port it just freed again to the next
 * bind(0), and two services of one system must never be given the same one (the second fails to
 * listen and its clients reach the first: CI saw the gateway's port answered by a subgraph).
 */
const handedOut = new Set<number>();

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A port nothing listens on right now (so services can know each other's address before they start). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
