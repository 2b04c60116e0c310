import DataLoader from 'dataloader';

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Group commit: `store` writes many items in one transaction. Items submitted while a store is in
 * flight wait for it and then go together in the next one, so the number of transactions falls
 * as load rises, while a lone item is stored at once. If a group fails, its items are stored one
 * by one, so an item only ever fails for a reason of its own. Built on DataLoader (without its
 * cache): its batch schedule waits for the store in flight.
 *
 * `store` must return one result per item, in the order of the items.
 */
export function groupCommit<I, O>(
  store: (items: readonly I[]) => Promise<O[]>,
  maxBatchSize = 200,
): (item: I) => Promise<O> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<I, O>(
    (items) => {
      const stored = store(items).catch((error: unknown) =>
        items.length === 1
          ? [asError(error)]
          : Promise.all(items.map((item) => store([item]).then(([result]) => result, asError))),
      );
      inFlight = stored;
      return stored;
    },
    {
      cache: false,
      maxBatchSize,
      batchScheduleFn: (dispatch) => {
        void inFlight.then(() => setImmediate(dispatch));
      },
    },
  );
  return (item) => loader.load(item);
}
