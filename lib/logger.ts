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

export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino({ name, level, redact: { paths: redactedPaths, censor: '[redacted]' } }, destination);
}
