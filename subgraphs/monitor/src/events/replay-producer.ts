import type { Producer, SASLOptions } from 'kafkajs';
import type { Config } from '@io/config';
import { createKafka, kafkaConnection, type KafkaConnection } from '@io/kafka/client';
import { startProducer } from '@io/kafka/producer';
import type { Logger } from '@io/logger';
import type { Publish } from '../domain/dead-letters';

/**
 * How replays log in: as the replayer user (KAFKA_REPLAY_SASL_*, with KAFKA_SASL_MECHANISM), the
 * only user the ACLs let write the topics services consume. Without it, as the monitor's own user,
 * which the ACLs of `npm run setup` refuse those topics: said once, at start-up.
 */
export function replayConnection(config: Config, logger: Logger): KafkaConnection {
  const own = kafkaConnection(config);
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_REPLAY_SASL_USERNAME: username } = config;
  const password = config.KAFKA_REPLAY_SASL_PASSWORD;
  if (mechanism && username && password) return { ...own, sasl: { mechanism, username, password } as SASLOptions };
  if (own.sasl)
    logger.warn(
      'KAFKA_REPLAY_SASL_USERNAME/PASSWORD unset: replayDeadLetter publishes as the monitor’s own Kafka user, which may not write the topics services consume',
    );
  return own;
}

export interface ReplayProducer {
  publish: Publish;
  /** Disconnects the producer if a replay connected it; replays after this are refused. */
  close: () => Promise<void>;
}

/**
 * The producer of the replay path only, separate from the service's (which writes only the
 * monitor's own topics). It connects on the first replay, so an idle monitor holds no connection
 * as the replayer; concurrent first replays share one connection, and a failed connect is
 * forgotten so the next replay tries again. Each send waits for every in-sync replica.
 */
export function lazyReplayProducer(connect: () => Promise<Producer>): ReplayProducer {
  let producer: Promise<Producer> | undefined;
  let closed = false;
  const connected = () =>
    (producer ??= connect().catch((error: unknown) => {
      producer = undefined;
      throw error;
    }));
  return {
    publish: async (topic, message) => {
      if (closed) throw new Error('the monitor is stopping: its dead-letter replay producer is closed');
      await (await connected()).send({ topic, acks: -1, messages: [message] });
    },
    close: async () => {
      closed = true;
      const current = producer;
      producer = undefined;
      await current?.then(
        (owned) => owned.disconnect(),
        () => undefined, // it never connected: nothing to close
      );
    },
  };
}

/** The monitor's replay producer, on the replayer's connection. */
export function startReplayProducer(config: Config, logger: Logger): ReplayProducer {
  const kafka = createKafka('monitor-replay', replayConnection(config, logger), logger, {
    requestTimeoutMs: config.KAFKA_REQUEST_TIMEOUT_MS,
  });
  return lazyReplayProducer(() => startProducer(kafka));
}
