import { trace } from '@opentelemetry/api';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Never written to a log, wherever they sit in a logged object (up to two levels deep, and in the
 * request/connection shapes that carry them): bearer tokens, secrets, passwords.
 */
const secretKeys = ['authorization', 'token', 'accessToken', 'secret', 'password', 'connectionParams', 'cookie'];
const redactedPaths = [
  ...secretKeys,
  ...secretKeys.map((key) => `*.${key}`),
  ...secretKeys.map((key) => `*.*.${key}`),
  ...secretKeys.map((key) => `req.headers.${key}`),
  ...secretKeys.map((key) => `request.headers.${key}`),
];

/**
 * Every line written while a request or an event is being handled names its trace, so a log line
 * leads to the trace and a trace to its log lines. Nothing is added when tracing is off (no span
 * is ever active then).
 */
function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino({ name, level, mixin: traceFields, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}
