import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

const finalStatuses = new Set(['CONFIRMED', 'REJECTED']);

/** What one `orderStatusChanged` subscriber (all orders, event fields only) has seen. */
export interface StatusWatcher {
  /** Epoch ms at which each order's final status (CONFIRMED or REJECTED) arrived. */
  finalAt: Map<string, number>;
  /** Sum of `extensions.droppedEvents` the gateway announced to this subscriber. */
  announcedDrops: number;
  /** Errors or an unexpected end of the subscription; the figures after it are incomplete. */
  problems: string[];
  /** Resolves once the server has acknowledged the connection. */
  connected: Promise<void>;
  close: () => Promise<void>;
}

/**
 * One graphql-ws client subscribed to every order's status changes. It selects only the event's own
 * fields, so the gateway runs no federated query per event for it; it keeps up as fast as the
 * socket delivers, which is what a fast subscriber is.
 */
export function watchOrderStatuses(gatewayUrl: string): StatusWatcher {
  let acknowledged!: () => void;
  const watcher: StatusWatcher = {
    finalAt: new Map(),
    announcedDrops: 0,
    problems: [],
    connected: new Promise<void>((resolve) => {
      acknowledged = resolve;
    }),
    close: async () => {
      stop();
      await client.dispose();
    },
  };
  let closing = false;
  const client: Client = createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    on: {
      connected: () => acknowledged(),
      closed: (event) => {
        if (!closing) watcher.problems.push(`socket closed (${(event as { code?: number }).code ?? 'no code'})`);
      },
    },
  });
  const unsubscribe = client.subscribe<{ orderStatusChanged: { orderId: string; to: string } }>(
    { query: 'subscription { orderStatusChanged { eventId orderId from to changedAt } }' },
    {
      next: (result) => {
        const receivedAt = performance.timeOrigin + performance.now();
        const dropped = Number((result.extensions as { droppedEvents?: number } | undefined)?.droppedEvents ?? 0);
        watcher.announcedDrops += dropped;
        if (result.errors) watcher.problems.push(result.errors.map((error) => error.message).join('; '));
        const event = result.data?.orderStatusChanged;
        if (event && finalStatuses.has(event.to) && !watcher.finalAt.has(event.orderId)) {
          watcher.finalAt.set(event.orderId, receivedAt);
        }
      },
      error: (error) =>
        watcher.problems.push(`subscription error: ${(error as Error).message ?? JSON.stringify(error)}`),
      complete: () => {
        if (!closing) watcher.problems.push('subscription completed by the server');
      },
    },
  );
  const stop = () => {
    closing = true;
    unsubscribe();
  };
  return watcher;
}
