import type { TestSystem } from './test-system';

/**
 * `count` stock adjustments of +1 to one product through the gateway, `concurrency` at a time:
 * each commits a stockChanged event, and the product's row lock orders them, so the events carry
 * stock quantities that rise by exactly one each.
 */
export async function adjustStockBurst(
  system: TestSystem,
  productId: string,
  count: number,
  concurrency = 8,
): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      const { errors } = await system.graphql(
        `mutation ($id: ID!) { adjustStock(productId: $id, input: { quantityChange: 1 }) { id } }`,
        { id: productId },
      );
      if (errors) throw new Error(JSON.stringify(errors));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** `first`, `first + 1`, … `first + count - 1`: what the events of a burst must carry, in order. */
export const consecutive = (first: number, count: number) => Array.from({ length: count }, (_, index) => first + index);
