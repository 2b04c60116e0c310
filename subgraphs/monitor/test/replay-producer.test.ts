import type { Producer, ProducerRecord } from 'kafkajs';
import { loadConfig } from '@io/config';
import { createLogger } from '@io/logger';
import { lazyReplayProducer, replayConnection } from '../src/events/replay-producer';

/** A producer that records what it was asked to do. */
function fakeProducer() {
  const sent: ProducerRecord[] = [];
  let disconnects = 0;
  const producer = {
    send: async (record: ProducerRecord) => {
      sent.push(record);
      return [];
    },
    disconnect: async () => {
      disconnects += 1;
    },
  } as unknown as Producer;
  return { producer, sent, disconnects: () => disconnects };
}

const message = { key: '7', value: '{"id":"e"}' };

test('an idle replay producer never connects; the first replays share one connection, and close disconnects it', async () => {
  const fake = fakeProducer();
  const connect = jest.fn(async () => fake.producer);
  const replays = lazyReplayProducer(connect);
  expect(connect).not.toHaveBeenCalled();

  await Promise.all([replays.publish('p.order-created', message), replays.publish('p.order-cancelled', message)]);
  expect(connect).toHaveBeenCalledTimes(1);
  expect(fake.sent).toEqual([
    { topic: 'p.order-created', acks: -1, messages: [message] },
    { topic: 'p.order-cancelled', acks: -1, messages: [message] },
  ]);

  await replays.close();
  expect(fake.disconnects()).toBe(1);
  await expect(replays.publish('p.order-created', message)).rejects.toThrow(/stopping/);
  expect(connect).toHaveBeenCalledTimes(1);
});

test('closing a replay producer that never replayed closes nothing; a failed connect is retried by the next replay', async () => {
  await expect(lazyReplayProducer(() => Promise.reject(new Error('unused'))).close()).resolves.toBeUndefined();

  const fake = fakeProducer();
  const connect = jest
    .fn<Promise<Producer>, []>()
    .mockRejectedValueOnce(new Error('broker away'))
    .mockResolvedValue(fake.producer);
  const replays = lazyReplayProducer(connect);
  await expect(replays.publish('p.order-created', message)).rejects.toThrow('broker away');
  await replays.publish('p.order-created', message);
  expect(connect).toHaveBeenCalledTimes(2);
  expect(fake.sent).toHaveLength(1);
});

describe('replay credentials', () => {
  const sasl = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'monitor', KAFKA_SASL_PASSWORD: 'own' };
  const logged = () => {
    const logger = createLogger('test', 'silent');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    return { logger, warn };
  };

  test('replays log in as KAFKA_REPLAY_SASL_USERNAME with the service’s mechanism', () => {
    const { logger, warn } = logged();
    const config = loadConfig({
      ...sasl,
      KAFKA_REPLAY_SASL_USERNAME: 'dead-letter-replayer',
      KAFKA_REPLAY_SASL_PASSWORD: 'replay',
    });
    expect(replayConnection(config, logger)).toEqual({
      brokers: ['127.0.0.1:9092'],
      sasl: { mechanism: 'scram-sha-512', username: 'dead-letter-replayer', password: 'replay' },
    });
    expect(warn).not.toHaveBeenCalled();
  });

  test('without replay credentials, replays log in as the service itself, and a warning says so once', () => {
    const { logger, warn } = logged();
    expect(replayConnection(loadConfig(sasl), logger).sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'monitor',
      password: 'own',
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/KAFKA_REPLAY_SASL_USERNAME\/PASSWORD unset/);
  });

  test('a cluster without SASL has no users to tell apart: no warning', () => {
    const { logger, warn } = logged();
    expect(replayConnection(loadConfig({}), logger)).toEqual({ brokers: ['127.0.0.1:9092'] });
    expect(warn).not.toHaveBeenCalled();
  });

  test('replay credentials come in pairs, and only with KAFKA_SASL_MECHANISM', () => {
    expect(() => loadConfig({ ...sasl, KAFKA_REPLAY_SASL_USERNAME: 'dead-letter-replayer' })).toThrow(
      'invalid configuration: KAFKA_REPLAY_SASL_USERNAME: set KAFKA_REPLAY_SASL_USERNAME and KAFKA_REPLAY_SASL_PASSWORD together, or neither',
    );
    expect(() =>
      loadConfig({ KAFKA_REPLAY_SASL_USERNAME: 'dead-letter-replayer', KAFKA_REPLAY_SASL_PASSWORD: 'replay' }),
    ).toThrow(
      'invalid configuration: KAFKA_REPLAY_SASL_USERNAME: the replay user logs in with KAFKA_SASL_MECHANISM: set KAFKA_SASL_* too',
    );
  });
});
