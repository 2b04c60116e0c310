import { logLevel, type LogEntry } from 'kafkajs';

type LoggerLevel = 'error' | 'warn' | 'info' | 'debug';

const levels: Record<number, LoggerLevel> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

// eslint-disable-next-line @typescript-eslint/no-require-imports -- kafkajs' protocol error table, untyped
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: { type: string; message: string; retriable: boolean }[];
};

/** The broker's answers that kafkajs retries by itself (its own table), by the message it logs. */
const retriableMessages = new Set(errorCodes.filter((code) => code.retriable).map((code) => code.message));

/**
 * The level a kafkajs log line gets in the service's log. A connection logs every error answer of
 * the broker at ERROR (`Response <api>`) before any retry decides anything, so each start printed
 * one for error 14, `GROUP_LOAD_IN_PROGRESS` in kafkajs' table (the transaction coordinator loading
 * its log, the answer to the first InitProducerId). An answer that kafkajs retries is a warning
 * there; when the retries run out, the retrier and the caller report the failure at ERROR.
 */
export function kafkaLogLevel({ namespace, level, log }: Pick<LogEntry, 'namespace' | 'level' | 'log'>): LoggerLevel {
  const mapped = levels[level] ?? 'info';
  const answer = (log as { error?: unknown }).error;
  const retriedAnswer = namespace === 'Connection' && typeof answer === 'string' && retriableMessages.has(answer);
  return mapped === 'error' && retriedAnswer ? 'warn' : mapped;
}
