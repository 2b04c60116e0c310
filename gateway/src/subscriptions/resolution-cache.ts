/**
 * The most recent `capacity` results by key, oldest forgotten first. A result is a promise, so
 * readers that arrive while it is being computed share the computation.
 */
export class ResolutionCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly capacity: number) {}

  get(key: string, compute: () => Promise<T>): Promise<T> {
    let result = this.entries.get(key);
    if (!result) {
      result = compute();
      this.entries.set(key, result);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return result;
  }
}
