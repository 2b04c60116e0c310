import { createServer } from 'node:net';

/**
 * Ports are taken below the kernel's ephemeral range (32768 and up on Linux), from a block of its own
 * per jest worker, in turn: a port bind(0) returns and frees may be offered again at once, to this
 * process or to another worker, and two services must never be given the same one (the second fails
 * to listen and its clients reach the first: CI saw a gateway's port answered by another system's subgraph).
 */
const blockSize = 500;
const worker = Number(process.env.JEST_WORKER_ID ?? 0) % 24;
const firstPort = 20_000 + worker * blockSize;
let offset = 0;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on right now (so services can know each other's address before they start). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < blockSize; tries += 1) {
    const port = firstPort + (offset % blockSize);
    offset += 1;
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${firstPort}-${firstPort + blockSize - 1}`);
}

/** `count` consecutive free ports (a local Kafka cluster puts node i on the first port + 2i). */
export async function freePorts(count: number): Promise<number[]> {
  let run = [await freePort()];
  while (run.length < count) {
    const port = await freePort();
    run = port === run[run.length - 1] + 1 ? [...run, port] : [port];
  }
  return run;
}
