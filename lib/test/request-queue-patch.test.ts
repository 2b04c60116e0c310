import '@io/kafka/request-queue-patch';

// kafkajs' internal module, as the patch changes it; fake timers count what it keeps armed.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped internal module
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  scheduleRequestTimeoutCheck: () => void;
  push: (request: object) => void;
  fulfillRequest: (response: { correlationId: number; payload: Buffer | null; size: number }) => void;
  destroy: () => void;
};

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const requestTimeout = 1000;

function connectedQueue(connected = () => true) {
  const queue = new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: 'broker:9092',
    logger: { ...silent, namespace: () => silent },
    isConnected: connected,
  });
  queue.scheduleRequestTimeoutCheck();
  return queue;
}

let correlationId = 0;
function send(queue: ReturnType<typeof connectedQueue>, timeoutMs?: number) {
  const entry = {
    correlationId: ++correlationId,
    apiName: 'Fetch',
    apiKey: 1,
    apiVersion: 11,
    resolve: jest.fn(),
    reject: jest.fn(),
  };
  queue.push({ entry, expectResponse: true, sendRequest: () => {}, requestTimeout: timeoutMs });
  return entry;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('a connected queue with nothing in flight keeps no timer', () => {
  connectedQueue();
  expect(jest.getTimerCount()).toBe(0);
});

test('an answered request leaves one timer, which ends at its deadline without re-arming', () => {
  const queue = connectedQueue();
  const entry = send(queue);
  queue.fulfillRequest({ correlationId: entry.correlationId, payload: null, size: 0 });
  expect(entry.resolve).toHaveBeenCalled();
  expect(jest.getTimerCount()).toBe(1);
  jest.advanceTimersByTime(requestTimeout + 1);
  expect(jest.getTimerCount()).toBe(0);
  expect(entry.reject).not.toHaveBeenCalled();
});

test('a request with no answer times out at its deadline, not before', () => {
  const queue = connectedQueue();
  const entry = send(queue);
  jest.advanceTimersByTime(requestTimeout - 1);
  expect(entry.reject).not.toHaveBeenCalled();
  jest.advanceTimersByTime(2);
  expect(entry.reject).toHaveBeenCalledWith(expect.objectContaining({ name: 'KafkaJSRequestTimeoutError' }));
  expect(jest.getTimerCount()).toBe(0);
});

test('each request times out at its own deadline, a longer one (a fetch) included', () => {
  const queue = connectedQueue();
  const fetch = send(queue, 3 * requestTimeout);
  jest.advanceTimersByTime(500);
  const answered = send(queue);
  const unanswered = send(queue);
  queue.fulfillRequest({ correlationId: answered.correlationId, payload: null, size: 0 });
  jest.advanceTimersByTime(requestTimeout + 1);
  expect(unanswered.reject).toHaveBeenCalled();
  expect(fetch.reject).not.toHaveBeenCalled();
  expect(jest.getTimerCount()).toBe(1);
  jest.advanceTimersByTime(2 * requestTimeout);
  expect(fetch.reject).toHaveBeenCalled();
  expect(answered.reject).not.toHaveBeenCalled();
  expect(jest.getTimerCount()).toBe(0);
});

test('destroy (a disconnect) clears the timer, and the next request arms it again', () => {
  const queue = connectedQueue();
  send(queue);
  queue.destroy();
  expect(jest.getTimerCount()).toBe(0);
  queue.scheduleRequestTimeoutCheck();
  const entry = send(queue);
  jest.advanceTimersByTime(requestTimeout + 1);
  expect(entry.reject).toHaveBeenCalled();
});

test('a queue whose connection is gone is destroyed at the next deadline, as kafkajs does', () => {
  let connected = true;
  const queue = connectedQueue(() => connected);
  const entry = send(queue);
  connected = false;
  jest.advanceTimersByTime(requestTimeout + 1);
  expect(jest.getTimerCount()).toBe(0);
  // kafkajs rejects what was in flight when the socket closes (rejectAll), not by timeout.
  expect(entry.reject).not.toHaveBeenCalled();
});
