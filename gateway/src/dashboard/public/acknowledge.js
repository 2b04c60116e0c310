import { authHeaders } from './auth.js';
import { h } from './dom.js';

/**
 * Acknowledging alerts from the page. Whether the caller may is the gateway's call (the
 * alerts:write scope; development mode is admin): the page asks it once with an acknowledgement
 * that cannot change anything (id 0 names no alert). FORBIDDEN or UNAUTHENTICATED hides the
 * buttons; anything else (the alert is not found) means the caller may.
 */
const NOBODY = '0';
let allowed = false;

async function acknowledge(id) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders() },
    body: JSON.stringify({
      query: 'mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id state } }',
      variables: { id },
    }),
  });
  const result = await response.json().catch(() => ({}));
  return { alert: result.data?.acknowledgeAlert, error: result.errors?.[0] ?? (response.ok ? undefined : { message: `HTTP ${response.status}` }) };
}

const refused = (error) => ['FORBIDDEN', 'UNAUTHENTICATED'].includes(error?.extensions?.code);

/** Asks the gateway whether this caller may acknowledge; `onAnswer` redraws the alerts with or without buttons. */
export async function checkAcknowledgeAllowed(onAnswer) {
  const { error } = await acknowledge(NOBODY).catch(() => ({ error: { extensions: { code: 'FORBIDDEN' } } }));
  allowed = !refused(error);
  onAnswer();
}

/** The button of an OPEN alert, or nothing when the caller may not acknowledge. Success asks the page to refresh. */
export function acknowledgeButton(alert) {
  if (!allowed || alert.state !== 'OPEN') return null;
  const button = h('button', { type: 'button', class: 'ack', 'data-alert-id': alert.id }, 'Acknowledge');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const { alert: acknowledged, error } = await acknowledge(alert.id).catch((failure) => ({ error: failure }));
    if (acknowledged) {
      button.replaceWith(h('span', { class: 'muted' }, 'acknowledged'));
      document.dispatchEvent(new Event('dashboard:changed'));
      return;
    }
    if (refused(error)) allowed = false;
    button.replaceWith(h('span', { class: 'bad-text', role: 'alert' }, error?.message ?? 'Not acknowledged'));
  });
  return button;
}
