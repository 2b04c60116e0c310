import { Pool } from 'undici';
import type { BenchConfig, RateStep } from './config';

interface CreatedOrder {
  id: string;
  /** Epoch ms at which the request was due (the open-loop schedule), not when a socket was free. */
  scheduledAt: number;
  /** From the due time to the end of the response, in ms (includes any wait in the client's queue). */
  latencyMs: number;
}

export interface OpenLoopResult {
  created: CreatedOrder[];
  sent: number;
  failed: number;
  /** Failed requests counted by message (GraphQL error, HTTP status or timeout). */
  failuresByMessage: Record<string, number>;
  /** Epoch ms of the first due request and of the end of the sending window. */
  startedAt: number;
  endedAt: number;
}

interface OpenLoopOptions {
  gatewayUrl: string;
  ratePerSecond: number;
  durationSeconds: number;
  productIds: readonly string[];
  maxConnections: number;
  requestTimeoutMs: number;
}

const createOrder = `mutation ($input: CreateOrderInput!) { createOrder(input: $input) { id status } }`;

const now = () => performance.timeOrigin + performance.now();

/**
 * Sends createOrder SELL mutations (one unit of one product, products in turn) at a fixed arrival
 * rate whatever the responses do (open loop: request i is due at start + i / rate, and its latency
 * counts from that moment, so a slow server cannot slow the load down and hide its own latency).
 * Resolves when every request has answered or timed out.
 */
async function sendOrdersOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const origin = new URL(options.gatewayUrl).origin;
  const pool = new Pool(origin, { connections: options.maxConnections, pipelining: 1, keepAliveTimeout: 30_000 });
  const total = Math.round(options.ratePerSecond * options.durationSeconds);
  const result: OpenLoopResult = {
    created: [],
    sent: 0,
    failed: 0,
    failuresByMessage: {},
    startedAt: now(),
    endedAt: 0,
  };
  const fail = (message: string) => {
    result.failed += 1;
    result.failuresByMessage[message] = (result.failuresByMessage[message] ?? 0) + 1;
  };
  const inFlight: Promise<void>[] = [];
  const send = async (index: number) => {
    const scheduledAt = result.startedAt + (index * 1000) / options.ratePerSecond;
    const productId = options.productIds[index % options.productIds.length];
    const body = JSON.stringify({
      query: createOrder,
      variables: {
        input: {
          orderType: 'SELL',
          customerName: 'Bench',
          customerEmail: 'bench@example.com',
          items: [{ productId, quantity: 1, unitPrice: '1.00' }],
        },
      },
    });
    try {
      const response = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      const payload = (await response.body.json()) as {
        data?: { createOrder?: { id: string } };
        errors?: { message: string }[];
      };
      const id = payload.data?.createOrder?.id;
      if (response.statusCode !== 200 || !id)
        fail(`HTTP ${response.statusCode}: ${payload.errors?.[0]?.message ?? 'no order id'}`);
      else result.created.push({ id, scheduledAt, latencyMs: now() - scheduledAt });
    } catch (error) {
      fail(
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${options.requestTimeoutMs} ms`
          : (error as Error).message,
      );
    }
  };
  await new Promise<void>((finished) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((now() - result.startedAt) * options.ratePerSecond) / 1000) + 1);
      while (result.sent < due) inFlight.push(send(result.sent++));
      if (result.sent >= total) finished();
      else setTimeout(tick, 1);
    };
    tick();
  });
  result.endedAt = Math.max(now(), result.startedAt + options.durationSeconds * 1000);
  await Promise.all(inFlight);
  await pool.close();
  return result;
}

/** A rate step's orders over `productIds`, sent open loop with the bench's client settings. */
export function sendStepOrders(
  config: BenchConfig,
  step: RateStep,
  gatewayUrl: string,
  productIds: readonly string[],
): Promise<OpenLoopResult> {
  return sendOrdersOpenLoop({
    gatewayUrl,
    ratePerSecond: step.ratePerSecond,
    durationSeconds: step.durationSeconds,
    productIds,
    maxConnections: config.maxConnections,
    requestTimeoutMs: config.requestTimeoutMs,
  });
}
