import { get } from 'node:http';

export interface HttpAnswer {
  status: number;
  /** A 2xx status, as fetch's `Response.ok`. */
  ok: boolean;
  body: string;
}

/** No answer (headers and body) within the time allowed. */
export class HttpTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A health answer is a few hundred bytes; anything far larger is not one and is cut here. */
const maxBodyBytes = 64 * 1024;

/**
 * GET over plain HTTP with node's own client, for the health probes and readiness checks that every
 * long-running process makes. Not the global `fetch`: its first call loads a second HTTP stack
 * (undici and its WebAssembly parser), about 20 MB resident in a process that otherwise needs none
 * of it (measured in bench/RESULTS.md, issue 14). Rejects when there is no complete answer within
 * `timeoutMs` (HttpTimeoutError) or the connection fails (the socket's error, e.g. ECONNREFUSED).
 */
export function httpGet(url: string | URL, timeoutMs: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        if (bytes >= maxBodyBytes) return;
        chunks.push(chunk);
        bytes += chunk.length;
      });
      response.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          body: Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8'),
        });
      });
      response.on('error', fail);
    });
    const timer = setTimeout(() => {
      reject(new HttpTimeoutError(`no answer within ${timeoutMs} ms`));
      request.destroy();
    }, timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    request.on('error', fail);
  });
}
