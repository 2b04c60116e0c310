/**
 * The `capacity` most recently added values by key, the oldest forgotten first. Events are added
 * in arrival order and their readers reach them within moments of each other, so a small cache
 * serves a fan-out. A hit changes nothing: 1,000 subscribers reading one event cost 1,000 lookups,
 * not 1,000 re-insertions that would churn the map's table.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  get size(): number {
    return this.entries.size;
  }
}
