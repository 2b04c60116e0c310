/**
 * The `capacity` most recently used values by key; the least recently used is forgotten first.
 * Readers of one event reach it within moments of each other, so a small cache serves a fan-out.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K, compute: () => V): V {
    if (this.entries.has(key)) {
      const value = this.entries.get(key)!;
      // Re-inserted so that Map order is least recently used first.
      this.entries.delete(key);
      this.entries.set(key, value);
      return value;
    }
    const value = compute();
    this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  get size(): number {
    return this.entries.size;
  }
}
