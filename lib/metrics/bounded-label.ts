/**
 * A label whose values come from outside (a client's operation name): the first `max` distinct
 * values are kept as they are, later ones become `overflow`. Prometheus keeps one series per value,
 * so an unbounded label is a memory leak in the service and in the server that scrapes it.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly overflow: string,
  ) {}

  value(candidate: string): string {
    if (this.seen.has(candidate)) return candidate;
    if (this.seen.size >= this.max) return this.overflow;
    this.seen.add(candidate);
    return candidate;
  }
}
