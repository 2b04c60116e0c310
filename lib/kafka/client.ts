import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { kafkaBrokers, type Config } from '@io/config';
import type { Logger } from '@io/logger';
import { kafkaLogLevel } from './log-level';
import './request-queue-patch';

/** Where a client connects and how it proves who it is: the same for the embedded broker and any other cluster. */
export interface KafkaConnection {
  brokers: string[];
  sasl?: SASLOptions;
  ssl?: ConnectionOptions | true;
}

/** The connection the configuration describes (KAFKA_BROKERS, KAFKA_SASL_*, KAFKA_SSL*). */
export function kafkaConnection(config: Config): KafkaConnection {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  const connection: KafkaConnection = { brokers: kafkaBrokers(config) };
  // loadConfig accepts the three SASL variables together or not at all.
  if (mechanism && username && password) connection.sasl = { mechanism, username, password } as SASLOptions;
  if (config.KAFKA_SSL)
    connection.ssl = config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true;
  return connection;
}

/**
 * A kafkajs client whose log lines go through the service's logger. `requestTimeoutMs` bounds
 * each request to the broker (KAFKA_REQUEST_TIMEOUT_MS for the services; kafkajs' default is 30 s).
 */
export function createKafka(
  clientId: string,
  connection: KafkaConnection,
  logger: Logger,
  { requestTimeoutMs }: { requestTimeoutMs?: number } = {},
): Kafka {
  return new Kafka({
    clientId,
    brokers: connection.brokers,
    sasl: connection.sasl,
    ssl: connection.ssl,
    ...(requestTimeoutMs ? { requestTimeout: requestTimeoutMs } : {}),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      logger[kafkaLogLevel(entry)]({ namespace: entry.namespace, ...extra }, message);
    },
  });
}
