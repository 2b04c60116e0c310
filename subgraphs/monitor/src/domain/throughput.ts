/** Sum of the high watermarks of each topic's partitions, at one moment. */
export interface WatermarkSample {
  at: number;
  highs: Record<string, number>;
}

/**
 * High watermarks sampled on an interval, kept in memory for one window. Messages appended over the
 * window are the current high watermarks minus those of the newest sample taken at least a window
 * ago (or of the oldest sample while the monitor has been up for less than a window).
 */
export class ThroughputWindow {
  private samples: WatermarkSample[] = [];

  constructor(readonly windowMs = 60_000) {}

  add(sample: WatermarkSample): void {
    this.samples.push(sample);
    const boundary = sample.at - this.windowMs;
    // Keep the newest sample at or before the window's start: it is the baseline.
    const firstInside = this.samples.findIndex((kept) => kept.at > boundary);
    const keepFrom = firstInside === -1 ? this.samples.length - 1 : Math.max(firstInside - 1, 0);
    this.samples = this.samples.slice(keepFrom);
  }

  /** Messages appended to each topic of `current` over the window ending at `current.at`. */
  appended(current: WatermarkSample): Record<string, number> {
    const boundary = current.at - this.windowMs;
    const before = this.samples.filter((sample) => sample.at <= boundary);
    const baseline = before.at(-1) ?? this.samples.find((sample) => sample.at <= current.at);
    return Object.fromEntries(
      Object.entries(current.highs).map(([topic, high]) => {
        const start = baseline?.highs[topic] ?? high;
        // A recreated topic starts again from zero: count nothing rather than a negative number.
        return [topic, Math.max(high - start, 0)];
      }),
    );
  }
}
