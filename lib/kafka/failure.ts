/**
 * Why a handler failed decides what happens to its events. A transient failure is the world's
 * fault (the database or the broker is away, a deadlock, a timeout): the same events will succeed
 * later, so they are retried for as long as it takes and never dead-lettered. Any other failure
 * may be the event's own fault (a constraint it breaks, a value out of range, a bug it triggers):
 * it is retried a few times, then the event is set aside on the dead-letter topic.
 */
export type FailureKind = 'transient' | 'poison';

/** Prisma's codes for an unreachable or lost server, timeouts, pool exhaustion and write conflicts. */
const transientPrismaCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/**
 * PostgreSQL SQLSTATE classes: 08 connection exception, 40 transaction rollback (serialization
 * failure, deadlock), 53 insufficient resources, 57 operator intervention (server shutting down),
 * 58 system error; and 55P03, a lock not available.
 */
const transientSqlState = (code: string) =>
  ['08', '40', '53', '57', '58'].includes(code.slice(0, 2)) || code === '55P03';

/** Node's socket errors: the peer is not there or went away. */
const transientSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Driver adapter error kinds (Prisma's adapters) that mean the database, not the data, failed. */
const transientAdapterKinds = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TransactionWriteConflict',
  'TransactionAlreadyClosed',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: ErrorShape } };
  cause?: unknown;
}

export function classifyFailure(error: unknown, depth = 0): FailureKind {
  if (typeof error !== 'object' || error === null || depth > 4) return 'poison';
  const shape = error as ErrorShape;
  if (typeof shape.name === 'string' && shape.name.startsWith('KafkaJS')) return 'transient';
  if (shape.name === 'IncompleteSendError') return 'transient'; // producer.ts: kafkajs skipped a partition
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  if (code && (transientPrismaCodes.has(code) || transientSocketCodes.has(code))) return 'transient';
  if (code && /^[0-9A-Z]{5}$/.test(code) && transientSqlState(code)) return 'transient';
  if (typeof shape.kind === 'string' && transientAdapterKinds.has(shape.kind)) return 'transient';
  if (typeof shape.originalCode === 'string' && transientSqlState(shape.originalCode)) return 'transient';
  // node-postgres reports a lost connection, and a server that did not answer in time, with a message only.
  if (
    typeof shape.message === 'string' &&
    /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout/.test(
      shape.message,
    )
  ) {
    return 'transient';
  }
  const adapterCause = shape.meta?.driverAdapterError?.cause;
  if (adapterCause && classifyFailure(adapterCause, depth + 1) === 'transient') return 'transient';
  return classifyFailure(shape.cause, depth + 1);
}

const builtInErrors = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

/**
 * A failure as an operator may read it in an alert (GraphQL, REST, the dashboard): its kind and
 * code, short. A Prisma error's message carries source paths, code lines and SQL, so only its code
 * (and PostgreSQL's SQLSTATE) is kept; the full error goes to the log beside the dead letter.
 */
export function failureReason(error: unknown): string {
  if (typeof error !== 'object' || error === null) return `non-error thrown: ${String(error).slice(0, 100)}`;
  const shape = error as ErrorShape & { issues?: { path?: unknown[] }[] };
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  if (name.startsWith('Prisma') || (code !== undefined && /^P\d{4}$/.test(code))) {
    const cause = shape.meta?.driverAdapterError?.cause;
    const sqlState = typeof cause?.originalCode === 'string' ? ` (SQLSTATE ${cause.originalCode})` : '';
    return `database error ${code ?? name}${sqlState}`;
  }
  if (Array.isArray(shape.issues)) {
    const path = shape.issues[0]?.path?.join('.') || '(root)';
    return `invalid event: ${shape.issues.length} problem(s), first at ${path}`;
  }
  const message = typeof shape.message === 'string' ? shape.message.split('\n')[0] : '';
  // Paths (/x/y, C:\x) and file:line references say where the code is, which is nobody's business.
  const safe = message
    .replace(/(?:[A-Za-z]:)?[\\/][^\s:'"]+(?::\d+)*|\S+\.[cm]?[jt]s:\d+(?::\d+)?/g, '…')
    .slice(0, 200);
  // A bug's kind (TypeError...) says more than its message; our own errors' messages say it all.
  const kind = [builtInErrors.has(name) ? name : '', code ?? ''].filter(Boolean).join(' ');
  return [kind, safe].filter(Boolean).join(': ') || name;
}
