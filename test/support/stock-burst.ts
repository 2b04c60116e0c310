import { randomUUID } from 'node:crypto';
import type { TestSystem } from './test-system';

/** Attempts per adjustment answered SERVICE_UNAVAILABLE (an overloaded CI machine) before the burst fails. */
const attemptsWhenUnavailable = 5;

/**
 * `count` stock adjustments of +1 to one product through the gateway, `concurrency` at a time:
 * each commits a stockChanged event, and the product's row lock orders them, so the events carry
 * stock quantities that rise by exactly one each. Each adjustment has an idempotency key and is
 * sent again, as a well-behaved client does, when the answer is SERVICE_UNAVAILABLE ("retry
 * shortly"): the key makes the retry apply once at most, so the quantities stay consecutive.
 */
export async function adjustStockBurst(
  system: TestSystem,
  productId: string,
  count: number,
  concurrency = 8,
): Promise<void> {
  let sent = 0;
  const adjustOnce = async () => {
    const key = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const { errors } = await system.graphql(
        `mutation ($id: ID!, $key: String) {
          adjustStock(productId: $id, input: { quantityChange: 1 }, idempotencyKey: $key) { id }
        }`,
        { id: productId, key },
      );
      if (!errors) return;
      const unavailable = errors.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE');
      if (!unavailable || attempt >= attemptsWhenUnavailable) throw new Error(JSON.stringify(errors));
      await new Promise((settle) => setTimeout(settle, 200 * attempt));
    }
  };
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      await adjustOnce();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** `first`, `first + 1`, … `first + count - 1`: what the events of a burst must carry, in order. */
export const consecutive = (first: number, count: number) => Array.from({ length: count }, (_, index) => first + index);
