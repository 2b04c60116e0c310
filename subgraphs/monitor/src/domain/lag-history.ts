/** Every consumer group's lag at one moment. */
export interface LagSample {
  at: number;
  lags: Record<string, number>;
}

/**
 * Consumer groups' lag as sampled on the health checker's interval, kept in memory for `keepMs`
 * (an hour: the dashboard draws the last 15 minutes). Each monitor replica keeps its own; a restart
 * starts afresh.
 */
export class LagHistory {
  private samples: LagSample[] = [];

  constructor(readonly keepMs = 3_600_000) {}

  add(sample: LagSample): void {
    this.samples.push(sample);
    const boundary = sample.at - this.keepMs;
    const firstKept = this.samples.findIndex((kept) => kept.at >= boundary);
    if (firstKept > 0) this.samples = this.samples.slice(firstKept);
  }

  /** The samples taken at or after `since`, oldest first. */
  since(since: number): LagSample[] {
    return this.samples.filter((sample) => sample.at >= since);
  }
}
