import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '@io/logger';
import './request-queue-patch';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * A kafkajs client whose log lines go through the service's logger. `requestTimeoutMs` bounds
 * each request to the broker (KAFKA_REQUEST_TIMEOUT_MS for the services; kafkajs' default is 30 s).
 */
export function createKafka(
  clientId: string,
  brokers: string[],
  logger: Logger,
  { requestTimeoutMs }: { requestTimeoutMs?: number } = {},
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...(requestTimeoutMs ? { requestTimeout: requestTimeoutMs } : {}),
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        logger[levels[level] ?? 'info']({ namespace, ...extra }, message);
      },
  });
}
