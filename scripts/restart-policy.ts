/**
 * When `npm start` restarts a crashed service, and when it gives up. Pure: the supervisor
 * (scripts/start.ts) feeds it crash times and acts on its answers.
 */
export interface RestartPolicy {
  /** The wait before restarting after a first crash; it doubles with each crash still in the window. */
  initialDelayMs: number;
  /** The longest wait before a restart. */
  maxDelayMs: number;
  /** This many crashes of one service within `windowMs` is a crash loop: everything stops. */
  crashLoopCrashes: number;
  windowMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  crashLoopCrashes: 5,
  windowMs: 60_000,
};

export type CrashVerdict =
  { restart: true; delayMs: number; recentCrashes: number } | { restart: false; recentCrashes: number };

/**
 * One service's crashes. A crash is judged by the crashes of the last `windowMs` (itself
 * included): a service that crashes once a day is restarted after `initialDelayMs` each time.
 */
export class CrashHistory {
  private crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy = defaultRestartPolicy) {}

  /** Records a crash at `now` (ms) and says whether to restart, and after how long. */
  crashed(now: number): CrashVerdict {
    this.crashes = [...this.crashes.filter((at) => now - at < this.policy.windowMs), now];
    const recentCrashes = this.crashes.length;
    if (recentCrashes >= this.policy.crashLoopCrashes) return { restart: false, recentCrashes };
    const delayMs = Math.min(this.policy.initialDelayMs * 2 ** (recentCrashes - 1), this.policy.maxDelayMs);
    return { restart: true, delayMs, recentCrashes };
  }
}
