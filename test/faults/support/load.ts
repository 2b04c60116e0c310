import { randomUUID } from 'node:crypto';
import { subscribe, wsClient } from '../../support/ws-client';
import { waitFor } from '../../support/wait-for';

/** What the fault scenarios send: real GraphQL over HTTP to the gateways, the way clients do. */
export async function graphql<T = Record<string, any>>(
  gatewayUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  return (await response.json()) as never;
}

export async function createProducts(gatewayUrl: string, stocks: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const stockQuantity of stocks) {
    const { data, errors } = await graphql<{ createProduct: { id: string } }>(
      gatewayUrl,
      `
        mutation ($input: CreateProductInput!) {
          createProduct(input: $input) {
            id
          }
        }
      `,
      { input: { name: `Fault product ${ids.length}`, price: '5.00', stockQuantity, minStockLevel: 0 } },
    );
    if (errors) throw new Error(JSON.stringify(errors));
    ids.push(data!.createProduct.id);
  }
  return ids;
}

export interface OrderLine {
  orderType: 'BUY' | 'SELL';
  productId: string;
  quantity: number;
}

export interface SentOrders {
  /** Orders a gateway acknowledged (an id came back). */
  acked: string[];
  /** Orders that still failed after retries with their idempotency key, with the last failure. */
  failed: string[];
  /** Orders that needed more than one attempt (same key each time). */
  retried: number;
}

/**
 * Sends `lines.length` orders from `concurrency` clients, spreading them over the gateways in turn.
 * `ratePerSecond` spaces them evenly (an open loop, as a shop's customers arrive); otherwise each
 * client sends its next order when the last one was answered.
 */
export async function sendOrders(
  gatewayUrls: () => string[],
  lines: OrderLine[],
  options: { concurrency?: number; ratePerSecond?: number } = {},
): Promise<SentOrders> {
  const sent: SentOrders = { acked: [], failed: [], retried: 0 };
  const run = randomUUID();
  const started = Date.now();
  let next = 0;
  const one = async (index: number) => {
    const line = lines[index];
    if (options.ratePerSecond) {
      const due = started + (index * 1000) / options.ratePerSecond;
      if (due > Date.now()) await new Promise((wake) => setTimeout(wake, due - Date.now()));
    }
    const input = {
      orderType: line.orderType,
      customerName: 'Fault client',
      customerEmail: `client${index % 50}@example.com`,
      items: [{ productId: line.productId, quantity: line.quantity, unitPrice: '5.00' }],
    };
    // One key per intended order: a retry after any doubt (a reset, a timeout, a gateway killed
    // mid-request, SERVICE_UNAVAILABLE) returns the order the first attempt stored, or stores it once.
    const idempotencyKey = `${run}-${index}`;
    let lastFailure = '';
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const urls = gatewayUrls();
      try {
        const { data, errors } = await graphql<{ createOrder: { id: string } }>(
          urls[(index + attempt) % urls.length],
          `
            mutation ($input: CreateOrderInput!, $key: String) {
              createOrder(input: $input, idempotencyKey: $key) {
                id
              }
            }
          `,
          { input, key: idempotencyKey },
        );
        if (data?.createOrder) {
          sent.acked.push(data.createOrder.id);
          if (attempt > 0) sent.retried += 1;
          return;
        }
        lastFailure = JSON.stringify(errors);
        if (errors?.[0]?.extensions?.code !== 'SERVICE_UNAVAILABLE') break;
      } catch (error) {
        lastFailure = `${(error as { cause?: { code?: string } }).cause?.code ?? 'no code'}: ${String(error)}`;
      }
      await new Promise((wake) => setTimeout(wake, 250));
    }
    sent.failed.push(lastFailure);
  };
  await Promise.all(
    Array.from({ length: options.concurrency ?? 16 }, async () => {
      for (let index = next++; index < lines.length; index = next++) await one(index);
    }),
  );
  return sent;
}

export interface StatusWatcher {
  /** Status changes seen per order id, in order of arrival. */
  seen: Map<string, string[]>;
  /** Waits until every order has been seen reaching a final status (one not PENDING). */
  waitForFinal: (orderIds: string[], timeoutMs: number) => Promise<void>;
  close: () => Promise<void>;
}

/** A subscriber to every order's status changes on one gateway, resubscribing with `after` if its socket drops. */
export function watchStatuses(gatewayUrl: () => string): StatusWatcher {
  const seen = new Map<string, string[]>();
  let lastEventId: string | undefined;
  let closed = false;
  let current: { dispose: () => void } | undefined;
  const query = `subscription ($after: ID) { orderStatusChanged(after: $after) { eventId orderId to } }`;
  const eventIds = new Set<string>();

  const connect = () => {
    if (closed) return;
    const client = wsClient(gatewayUrl());
    current = client;
    const subscription = subscribe(client, query, lastEventId ? { after: lastEventId } : {});
    let ended = false;
    void subscription.completed.then(() => (ended = true));
    const pump = async () => {
      // Reads what the client queued (polling, so a closed watcher leaves no waiter behind).
      for (let read = 0; !closed;) {
        if (read === subscription.received.length) {
          if (ended) break;
          await new Promise((wake) => setTimeout(wake, 100));
          continue;
        }
        const result = subscription.received[read++];
        const event = result.data?.orderStatusChanged as { eventId: string; orderId: string; to: string } | undefined;
        if (!event) break;
        // A resumed stream may repeat what was already delivered: count each event once.
        if (eventIds.has(event.eventId)) continue;
        eventIds.add(event.eventId);
        lastEventId = event.eventId;
        seen.set(event.orderId, [...(seen.get(event.orderId) ?? []), event.to]);
      }
      void client.dispose();
      if (!closed) setTimeout(connect, 500);
    };
    pump().catch(() => {
      if (!closed) setTimeout(connect, 500);
    });
  };
  connect();

  return {
    seen,
    waitForFinal: async (orderIds, timeoutMs) => {
      await waitFor(
        () => orderIds.every((id) => (seen.get(id) ?? []).some((status) => status !== 'PENDING')),
        timeoutMs,
        `a final status of each of ${orderIds.length} orders on ${gatewayUrl()}`,
        250,
      );
    },
    close: async () => {
      closed = true;
      current?.dispose();
    },
  };
}
