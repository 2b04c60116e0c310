import { $ } from './dom.js';

/**
 * The dashboard's credentials: a bearer token pasted by the operator, kept for this browser
 * session only (sessionStorage). Without one the page asks the gateway as an anonymous caller,
 * which development mode answers as admin; when the gateway answers UNAUTHENTICATED (production,
 * or an expired token) the page asks for a token. What the token may not see stays dimmed, with
 * the gateway's FORBIDDEN message naming the missing scope.
 */
const KEY = 'io-dashboard-token';

export const token = () => sessionStorage.getItem(KEY) ?? '';

export const authHeaders = () => (token() ? { authorization: `Bearer ${token()}` } : {});

export const connectionParams = () => (token() ? { authorization: `Bearer ${token()}` } : {});

/** Shows the token form (once); a token entered there reloads the page with it. */
export function askForToken(reason) {
  const form = $('#token-form');
  $('#token-reason').textContent = reason;
  form.hidden = false;
}

export function initTokenForm() {
  const form = $('#token-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#token-input').value.trim().replace(/^Bearer\s+/i, '');
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
    location.reload();
  });
  const signOut = $('#token-clear');
  signOut.hidden = !token();
  signOut.addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
}
