import type { LogRead } from './event-log';

/** The part of the event hub one subscriber reads: one topic, by position. */
interface CursorFeed<E> {
  read: (position: number) => LogRead<E>;
  /**
   * Calls `wake` with the position of each new event the reader may accept (a keyed reader is not
   * woken for events of other keys); returns the function that stops it.
   */
  listen: (wake: (position: number) => void) => () => void;
}

/** The subscriber's socket as seen from here: whether its send buffer is over the limit, and when that ends. */
export interface SendBuffer {
  isBackedUp: () => boolean;
  /** Resolves when the buffer may have drained (it is checked again then); never stays pending for long. */
  drained: () => Promise<void>;
}

export interface SubscriberCursorOptions<E, R> {
  feed: CursorFeed<E>;
  /** The position after which delivery starts (the `after` event's, or the live edge's). */
  start: number;
  sendBuffer: SendBuffer;
  accepts: (event: E) => boolean;
  resolve: (event: E) => Promise<R>;
  /** Tells the subscriber, on the next result it gets, how many events it lost before it. */
  annotate: (result: R, dropped: number) => R;
  onDrop: (count: number) => void;
  onClose: () => void;
}

/**
 * One subscriber's place in the hub's log. Delivery is pulled: graphql-ws asks for the next
 * result once the previous one was written to the socket, so a subscriber that keeps up gets every
 * event, a resume replays the whole window after `after`, and nothing is held per subscriber but
 * a position. An event is resolved only when the subscriber reaches it. While the socket's send
 * buffer is over its limit the cursor waits; events it falls behind the window's bounds are lost,
 * counted, and announced with the next result.
 */
export class SubscriberCursor<E extends { position: number }, R> implements AsyncIterableIterator<R> {
  private position: number;
  private droppedSinceDelivery = 0;
  private closed = false;
  private wakeUp?: () => void;
  private readonly unlisten: () => void;

  constructor(private readonly options: SubscriberCursorOptions<E, R>) {
    this.position = options.start;
    this.unlisten = options.feed.listen((position) => this.wake(position));
  }

  async next(): Promise<IteratorResult<R>> {
    const { feed, sendBuffer } = this.options;
    while (!this.closed) {
      if (sendBuffer.isBackedUp()) {
        await sendBuffer.drained();
        continue;
      }
      const { event, skipped } = feed.read(this.position);
      if (skipped > 0) {
        this.position += skipped;
        this.droppedSinceDelivery += skipped;
        this.options.onDrop(skipped);
      }
      if (!event) {
        // Set up in the same tick as the read that found nothing, so no event can slip in between.
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
        });
        continue;
      }
      this.position = event.position;
      if (!this.options.accepts(event)) continue;
      const result = await this.options.resolve(event);
      if (this.closed) break;
      const dropped = this.droppedSinceDelivery;
      this.droppedSinceDelivery = 0;
      return { value: dropped > 0 ? this.options.annotate(result, dropped) : result, done: false };
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<R>> {
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<R>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    return this;
  }

  /**
   * A new event at `position`. A reader that sleeps read everything up to its position, and was
   * not woken for any event since: those were all of other keys, so it goes straight to this one
   * (and never counts them as dropped when the window lets them go).
   */
  private wake(position?: number): void {
    if (position !== undefined && this.wakeUp) this.position = Math.max(this.position, position - 1);
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    this.wake();
    this.options.onClose();
  }
}
