// Every value reaches the DOM as a text node or an attribute set through the DOM API, never as
// markup: product names and alert messages are user data.

/** h('td', { class: 'num' }, 'text', childNode) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null && child !== false)
    .map((child) => (child instanceof Node ? child : String(child))));
  return element;
}

export const $ = (selector) => document.querySelector(selector);

/** Replaces the children of `parent`; `empty` (a string) is shown when there are none. */
export function fill(parent, children, empty) {
  parent.replaceChildren(...(children.length > 0 ? children : empty ? [emptyRow(parent, empty)] : []));
}

function emptyRow(parent, text) {
  if (parent.tagName !== 'TBODY') return h('li', { class: 'empty' }, text);
  const columns = parent.closest('table').querySelectorAll('thead th').length;
  return h('tr', {}, h('td', { class: 'empty', colspan: columns }, text));
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });

export const format = {
  integer: (value) => integer.format(value),
  decimal: (value) => decimal.format(value),
  /** Decimal scalars arrive as strings such as "99.99". */
  money: (value) => money.format(Number(value)),
  percent: (value) => (value === null || value === undefined ? '—' : percent.format(value)),
  ms: (value) => (value === null || value === undefined ? '—' : `${integer.format(value)} ms`),
  signed: (value) => (value > 0 ? `+${integer.format(value)}` : integer.format(value)),
};

/** A <time> showing the local time (and the date when it is not today). */
export function time(iso) {
  const date = new Date(iso);
  const today = date.toDateString() === new Date().toDateString();
  const text = today ? date.toLocaleTimeString() : date.toLocaleString();
  return h('time', { datetime: iso, title: date.toLocaleString() }, text);
}

/** A status word as a coloured badge; `tone` picks the colour (ok, warn, bad, info, muted). */
export const badge = (text, tone) => h('span', { class: `badge ${tone}` }, text);

/** Badge colour of each status, severity and order status. */
export const tone = {
  HEALTHY: 'ok', UNHEALTHY: 'warn', DOWN: 'bad',
  INFO: 'info', WARNING: 'warn', CRITICAL: 'bad',
  PENDING: 'info', CONFIRMED: 'ok', SHIPPED: 'ok', COMPLETED: 'ok', REJECTED: 'bad', CANCELLED: 'muted',
};
/** LOW_STOCK → 'Low stock'. */
export const label = (word) => word.charAt(0) + word.slice(1).toLowerCase().replaceAll('_', ' ');
