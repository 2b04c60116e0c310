import type { Logger } from '@io/logger';

type Offsets = { topics: { topic: string; partitions: { partition: number; offset: string }[] }[] };

/** The eachBatch controls a deferred commit needs (kafkajs binds them to the group's current generation). */
export interface CommitControls {
  resolveOffset: (offset: string) => void;
  commitOffsetsIfNecessary: (offsets?: Offsets) => Promise<void>;
  uncommittedOffsets: () => Offsets;
}

/**
 * Commits a consumer group's offsets at most once per `intervalMs` instead of after every batch.
 * With kafkajs' auto-commit every batch ends with an OffsetCommit request (and a write to
 * `__consumer_offsets`): at a trickle of events every event is a batch of its own, so each cost a
 * commit per group. The consumer runs with auto-commit off; offsets are still resolved at once
 * (kafkajs fetches from the last resolved offset), and committed here on a timer.
 * Handlers are idempotent per event (processed_events), so a crash or a rebalance within the
 * interval only delivers again events that then change nothing; lag figures trail by the interval.
 */
export class DeferredCommits {
  private controls?: CommitControls;
  private timer?: NodeJS.Timeout;
  private immediate: boolean;

  constructor(
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.immediate = intervalMs === 0;
  }

  /** A partition's events up to `offset` were applied (or dead-lettered): fetching goes on after it. */
  applied(offset: string, controls: CommitControls): void {
    controls.resolveOffset(offset);
    this.controls = controls;
    if (!this.immediate) this.timer ??= setTimeout(() => void this.commit(), this.intervalMs);
  }

  /** After a batch: commits at once when there is no interval (or the consumer is stopping). */
  async afterBatch(): Promise<void> {
    if (this.immediate) await this.commit();
  }

  /**
   * The group is rebalancing: kafkajs starts the new generation from the committed offsets, and
   * the previous generation may no longer commit.
   */
  forget(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controls = undefined;
  }

  /** Before the consumer stops: what was applied is committed now, and every batch still being applied when it ends. */
  async flushForStop(): Promise<void> {
    this.immediate = true;
    await this.commit();
  }

  private async commit(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const controls = this.controls;
    if (!controls) return;
    try {
      const uncommitted = controls.uncommittedOffsets();
      if (uncommitted.topics.length > 0) await controls.commitOffsetsIfNecessary(uncommitted);
    } catch (error) {
      this.logger.warn({ err: error }, 'committing consumed offsets failed; those events will be delivered again');
    }
  }
}
