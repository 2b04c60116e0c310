import { createClient } from '/dashboard/vendor/graphql-ws/client.js';
import { askForToken, connectionParams } from './auth.js';

// The gateway closes a socket whose token is not valid, or has expired, with 4401.
const TOKEN_REFUSED = 4401;

const PING_EVERY_MS = 10_000;
const PONG_WITHIN_MS = 5_000;

/**
 * A graphql-ws client that never gives up: it retries every lost connection with capped backoff,
 * and treats a ping left unanswered as a lost connection (a dead network does not close sockets).
 * `onStatus` receives 'connecting', 'live' or 'reconnecting'.
 */
export function liveClient(url, onStatus) {
  let pongTimer;
  const client = createClient({
    url,
    connectionParams,
    keepAlive: PING_EVERY_MS,
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((wake) => setTimeout(wake, Math.min(1000 * 2 ** retries, 15_000) * (0.5 + Math.random() / 2))),
    on: {
      connecting: (isRetry) => onStatus(isRetry ? 'reconnecting' : 'connecting'),
      connected: () => onStatus('live'),
      closed: (event) => {
        clearTimeout(pongTimer);
        if (event?.code === TOKEN_REFUSED) askForToken(`live feeds: ${event.reason || 'token refused'}`);
        onStatus('reconnecting');
      },
      ping: (received) => {
        if (!received) pongTimer = setTimeout(() => client.terminate(), PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });
  return client;
}

const isResumeRefusal = (errors) => (errors ?? []).some((error) => error.extensions?.field === 'after');

/**
 * Subscribes to `field` (an event with an eventId, the operation declaring `$after: ID`) and keeps
 * the subscription alive across reconnects without losing events: the client re-sends this same
 * payload object when it resubscribes, and `variables.after` always holds the last event seen, so
 * the gateway first replays what was missed. When the gateway no longer holds that event, `onGap`
 * is told and the subscription starts again from the live edge.
 */
export function resumableSubscription(client, { query, field, onEvent, onGap }) {
  const payload = { query, variables: { after: null } };
  const seen = new Set();
  let lastErrors;

  function restart() {
    const gap = isResumeRefusal(lastErrors);
    lastErrors = undefined;
    if (gap) {
      payload.variables.after = null;
      onGap();
      subscribe();
    } else {
      setTimeout(subscribe, 2000);
    }
  }

  function subscribe() {
    client.subscribe(payload, {
      next: (result) => {
        const event = result.data?.[field];
        if (!event) {
          lastErrors = result.errors;
          return;
        }
        payload.variables.after = event.eventId;
        if (seen.has(event.eventId)) return;
        seen.add(event.eventId);
        if (seen.size > 1000) seen.delete(seen.values().next().value);
        onEvent(event);
      },
      // The gateway ended the subscription (refused the resume point, or a fatal close): go on.
      error: (error) => {
        lastErrors ??= Array.isArray(error) ? error : undefined;
        restart();
      },
      complete: restart,
    });
  }

  subscribe();
}
