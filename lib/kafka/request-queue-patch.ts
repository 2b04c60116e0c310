/**
 * kafkajs 2.2.4, its last release, re-arms a 1 ms timer forever on every broker connection once a
 * request has completed: `checkPendingRequests` always calls `scheduleCheckPendingRequests`, which
 * arms `setTimeout(check, throttledUntil - now)`, a negative delay when nothing is throttled
 * (tulios/kafkajs#1556; the fix proposed in #1667 was never released). Each idle service woke a
 * thousand times a second and spent 2.5-3 % of a core doing so. The pending queue only needs a
 * check while requests wait or the broker throttles; `push` and every response call it again.
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests: () => void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs' internal module, untyped
const requestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };
const original = requestQueue.prototype.scheduleCheckPendingRequests;

requestQueue.prototype.scheduleCheckPendingRequests = function scheduleOnlyWhenNeeded(this: RequestQueue) {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  original.call(this);
};
