/**
 * What one subscriber has not received yet, bounded: when a slow client falls `capacity` events
 * behind, the oldest undelivered event is dropped (and counted) rather than letting one client
 * hold memory or stall the others. Items are promises so that resolution can run ahead while the
 * order of delivery stays the order of events.
 */
export class SubscriberQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: Promise<T>[] = [];
  private waiter?: (result: IteratorResult<T>) => void;
  private closed = false;
  private droppedSinceDelivery = 0;

  /** `annotate` tells the subscriber, on the next value it receives, how many were dropped before it. */
  constructor(
    private readonly capacity: number,
    private readonly onDrop: () => void,
    private readonly onClose: () => void,
    private readonly annotate: (value: T, dropped: number) => T = (value) => value,
  ) {}

  push(item: Promise<T>): void {
    if (this.closed) return;
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      item.then((value) => waiter({ value, done: false }), () => waiter({ value: undefined, done: true }));
      return;
    }
    this.items.push(item);
    if (this.items.length > this.capacity) {
      this.items.shift()!.catch(() => undefined); // dropped: its outcome no longer matters
      this.droppedSinceDelivery += 1;
      this.onDrop();
    }
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = await this.items.shift()!;
      const dropped = this.droppedSinceDelivery;
      this.droppedSinceDelivery = 0;
      return { value: dropped > 0 ? this.annotate(value, dropped) : value, done: false };
    }
    if (this.closed) return { value: undefined, done: true };
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.items.length = 0;
    this.waiter?.({ value: undefined, done: true });
    this.waiter = undefined;
    this.onClose();
  }
}
