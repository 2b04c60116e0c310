import { RecentCache } from './recent-cache';

/**
 * The most recent `capacity` results by key. A result is a promise, so readers that arrive while
 * it is being computed share the computation; a bounded count of them is all that is kept.
 */
export class ResolutionCache<T> {
  private readonly entries: RecentCache<string, Promise<T>>;

  constructor(capacity: number) {
    this.entries = new RecentCache(capacity);
  }

  get(key: string, compute: () => Promise<T>): Promise<T> {
    let result = this.entries.get(key);
    if (!result) {
      result = compute();
      this.entries.set(key, result);
    }
    return result;
  }
}
