import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export interface TestSubscription {
  /** The next result, in order; rejects after `timeoutMs`. */
  next: (timeoutMs?: number) => Promise<ExecutionResult<Record<string, any>>>;
  /** Resolves when the server completes the subscription (e.g. after an error). */
  completed: Promise<void>;
  received: ExecutionResult<Record<string, any>>[];
  /** Skips every result received so far. */
  drain: () => void;
  unsubscribe: () => void;
}

/** A real graphql-ws client whose results are queued, so a test never misses one. */
export function wsClient(
  gatewayUrl: string,
  options: {
    retryAttempts?: number;
    onClosed?: (code: number) => void;
    onConnected?: (socket: WebSocket) => void;
    /** A bearer token, sent in connectionParams as `authorization` (none: anonymous, or the development caller). */
    token?: string;
  } = {},
): Client {
  return createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: options.retryAttempts ?? 0,
    lazy: true,
    ...(options.token ? { connectionParams: { authorization: `Bearer ${options.token}` } } : {}),
    on: {
      closed: (event) => options.onClosed?.((event as { code: number }).code),
      connected: (socket) => options.onConnected?.(socket as WebSocket),
    },
  });
}

export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}): TestSubscription {
  const received: ExecutionResult<Record<string, any>>[] = [];
  const waiting: ((result: ExecutionResult<Record<string, any>>) => void)[] = [];
  let readIndex = 0;
  let complete!: () => void;
  const completed = new Promise<void>((resolve) => {
    complete = resolve;
  });
  const push = (result: ExecutionResult<Record<string, any>>) => {
    received.push(result);
    waiting.shift()?.(result);
  };
  const unsubscribe = client.subscribe<Record<string, any>>(
    { query, variables },
    {
      next: push,
      error: (error) => {
        push({
          errors: Array.isArray(error) ? error : [{ message: String((error as Error).message ?? error) } as never],
        });
        complete();
      },
      complete,
    },
  );
  return {
    received,
    completed,
    unsubscribe,
    drain: () => {
      readIndex = received.length;
    },
    next: (timeoutMs = 20_000) => {
      if (readIndex < received.length) return Promise.resolve(received[readIndex++]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no subscription result within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((result) => {
          clearTimeout(timer);
          readIndex += 1;
          resolve(result);
        });
      });
    },
  };
}

/** The graphql-ws clients a test file opens, closed together by `disposeAll` (after each test or at the end). */
export function clientPool(gatewayUrl: () => string) {
  const open: Client[] = [];
  return {
    open: (options?: Parameters<typeof wsClient>[1]): Client => {
      const client = wsClient(gatewayUrl(), options);
      open.push(client);
      return client;
    },
    disposeAll: async (): Promise<void> => {
      await Promise.all(open.splice(0).map(async (client) => client.dispose()));
    },
  };
}
