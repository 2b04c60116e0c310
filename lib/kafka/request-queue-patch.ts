/**
 * kafkajs 2.2.4, its last release, keeps every broker connection's timers running while the
 * connection is idle; an idle service woke tens to a thousand times a second for nothing:
 *
 * - `checkPendingRequests` always calls `scheduleCheckPendingRequests`, which arms
 *   `setTimeout(check, throttledUntil - now)`, a negative delay when nothing is throttled: a 1 ms
 *   timer re-armed forever once a request has completed (tulios/kafkajs#1556; the fix proposed in
 *   #1667 was never released). The pending queue only needs a check while requests wait or the
 *   broker throttles; `push` and every response call it again.
 * - `scheduleRequestTimeoutCheck` (at connect) starts a 100 ms interval that looks for in-flight
 *   requests past their timeout, whether or not any is in flight; a consumer, whose fetch waits on
 *   the broker up to its max wait, always has one. Here one timer waits for the earliest deadline
 *   of the requests in flight: an idle or a busy client wakes about once per request timeout, and a
 *   request still times out when its deadline passes.
 */
interface SocketRequest {
  sentAt: number;
  requestTimeout: number;
  timeoutRequest: () => void;
}

interface RequestQueue {
  pending: unknown[];
  inflight: Map<number, SocketRequest>;
  throttledUntil: number;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  requestTimeoutIntervalId?: NodeJS.Timeout;
  isConnected: () => boolean;
  destroy: () => void;
  scheduleCheckPendingRequests: () => void;
  scheduleRequestTimeoutCheck: () => void;
  sendSocketRequest: (request: SocketRequest) => void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs' internal module, untyped
const requestQueue = require('kafkajs/src/network/requestQueue') as { prototype: RequestQueue };
const { destroy, scheduleCheckPendingRequests, sendSocketRequest } = requestQueue.prototype;

requestQueue.prototype.scheduleCheckPendingRequests = function scheduleOnlyWhenNeeded(this: RequestQueue) {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  scheduleCheckPendingRequests.call(this);
};

// The timeout check is a timer set for the earliest in-flight deadline, armed by a send and re-armed
// by itself while requests are in flight; kept where kafkajs keeps its interval, so its own
// destroy() (at disconnect) clears it.
requestQueue.prototype.scheduleRequestTimeoutCheck = function armedBySends(this: RequestQueue) {
  if (this.enforceRequestTimeout) this.destroy();
};

requestQueue.prototype.destroy = function destroyAndForget(this: RequestQueue) {
  destroy.call(this);
  this.requestTimeoutIntervalId = undefined;
};

requestQueue.prototype.sendSocketRequest = function sendAndWatchDeadline(this: RequestQueue, request: SocketRequest) {
  sendSocketRequest.call(this, request);
  if (this.enforceRequestTimeout && this.inflight.size > 0) armFor(this, request.sentAt + request.requestTimeout);
};

/** When the armed timer fires: the earliest deadline it was armed for. */
const armedDeadline = Symbol('deadline of the armed timeout check');
type WatchedQueue = RequestQueue & { [armedDeadline]?: number };

function armFor(queue: WatchedQueue, deadline: number): void {
  // Armed for an earlier deadline already: the usual case, a request sent later ends later.
  if (queue.requestTimeoutIntervalId !== undefined && queue[armedDeadline]! <= deadline) return;
  clearTimeout(queue.requestTimeoutIntervalId);
  queue[armedDeadline] = deadline;
  // +1: kafkajs times a request out once strictly more than its timeout has passed.
  queue.requestTimeoutIntervalId = setTimeout(() => checkDeadlines(queue), Math.max(deadline - Date.now() + 1, 1));
}

function checkDeadlines(queue: WatchedQueue): void {
  queue.requestTimeoutIntervalId = undefined;
  // As kafkajs' own interval: a queue whose connection is gone is destroyed.
  if (!queue.isConnected()) return queue.destroy();
  const now = Date.now();
  let earliest = Infinity;
  for (const request of queue.inflight.values()) {
    if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    else earliest = Math.min(earliest, request.sentAt + request.requestTimeout);
  }
  if (earliest !== Infinity) armFor(queue, earliest);
}
