import type { KafkaMessage } from 'kafkajs';
import { z } from 'zod';
import { createEnvelope, defineEvent, type Envelope } from '@io/events/envelope';
import { batchProcessor, type BatchControls } from '@io/kafka/batch-processor';
import { createLogger } from '@io/logger';

const counted = defineEvent({
  topic: 'counted',
  type: 'Counted',
  version: 1,
  key: (data) => String(data.n),
  schema: z.object({ n: z.number().int() }),
  about: { summary: 'a test event', key: 'n', producer: 'the test' },
});

const message = (offset: number, value: string | null): KafkaMessage =>
  ({
    offset: String(offset),
    value: value === null ? null : Buffer.from(value),
    key: null,
    timestamp: '0',
    attributes: 0,
    size: 0,
  }) as KafkaMessage;
const eventAt = (offset: number, n = offset) => message(offset, JSON.stringify(createEnvelope(counted, { n })));

class TransientError extends Error {
  readonly code = 'ECONNREFUSED';
}

function harness(
  options: {
    failOn?: (n: number) => Error | undefined;
    maxBatchSize?: number;
    running?: () => boolean;
    giveUpFails?: (call: number) => Error | undefined;
  } = {},
) {
  const givenUp: { n: number; afterDeadLetters: number; error: string }[] = [];
  let giveUpCalls = 0;
  const calls: number[][] = [];
  const applied: number[] = [];
  const deadLetters: { offset: string; attempts: number }[] = [];
  const resolved: string[] = [];
  const controls: BatchControls = {
    resolveOffset: (offset) => {
      resolved.push(offset);
    },
    commitOffsetsIfNecessary: async () => undefined,
    heartbeat: async () => undefined,
    isRunning: options.running ?? (() => true),
  };
  const process = batchProcessor({
    event: counted,
    handle: async (envelopes: Envelope<{ n: number }>[]) => {
      const ns = envelopes.map((envelope) => envelope.data.n);
      calls.push(ns);
      for (const n of ns) {
        const error = options.failOn?.(n);
        if (error) throw error;
      }
      applied.push(...ns);
    },
    deadLetter: async (m, _error, attempts) => {
      deadLetters.push({ offset: m.offset, attempts });
    },
    giveUp: async (envelope, error) => {
      const failure = options.giveUpFails?.((giveUpCalls += 1));
      if (failure) throw failure;
      givenUp.push({ n: envelope.data.n, afterDeadLetters: deadLetters.length, error: (error as Error).message });
    },
    logger: createLogger('test', 'silent'),
    maxAttempts: 3,
    retryDelayMs: 1,
    maxBatchSize: options.maxBatchSize ?? 100,
    sleep: async () => undefined,
  });
  return {
    run: (messages: KafkaMessage[]) => process(messages, controls),
    calls,
    applied,
    deadLetters,
    resolved,
    givenUp,
    giveUpCalls: () => giveUpCalls,
  };
}

test('the events of a batch reach the handler together, in offset order, and the last offset is resolved after them', async () => {
  const h = harness();
  await h.run([eventAt(5), eventAt(6), eventAt(7)]);
  expect(h.calls).toEqual([[5, 6, 7]]);
  expect(h.resolved).toEqual(['7']);
});

test('a batch larger than the maximum is applied in chunks, each resolved after it is applied', async () => {
  const h = harness({ maxBatchSize: 2 });
  await h.run([eventAt(1), eventAt(2), eventAt(3)]);
  expect(h.calls).toEqual([[1, 2], [3]]);
  expect(h.resolved).toEqual(['2', '3']);
});

test('an unreadable message is dead-lettered at once and the events around it are applied', async () => {
  const h = harness();
  await h.run([eventAt(1), message(2, '{not json'), message(3, null), eventAt(4)]);
  expect(h.deadLetters).toEqual([
    { offset: '2', attempts: 0 },
    { offset: '3', attempts: 0 },
  ]);
  expect(h.applied).toEqual([1, 4]);
  expect(h.resolved).toEqual(['4']);
});

test('a poison event is isolated: the batch is retried one event at a time and only the poison is dead-lettered, after its attempts', async () => {
  const h = harness({ failOn: (n) => (n === 2 ? new Error('value out of range') : undefined) });
  await h.run([eventAt(1), eventAt(2), eventAt(3)]);
  expect(h.calls).toEqual([[1, 2, 3], [1], [2], [2], [2], [3]]);
  expect(h.applied).toEqual([1, 3]);
  expect(h.deadLetters).toEqual([{ offset: '2', attempts: 3 }]);
  expect(h.resolved).toEqual(['3']);
});

test('a transient failure (the database away) is retried until it passes and never dead-letters', async () => {
  let outage = 7;
  const h = harness({ failOn: () => (outage-- > 0 ? new TransientError('connect ECONNREFUSED') : undefined) });
  await h.run([eventAt(1), eventAt(2)]);
  expect(h.deadLetters).toEqual([]);
  expect(h.applied).toEqual([1, 2]);
  expect(h.resolved).toEqual(['2']);
});

test('when the consumer stops during an outage, the error is thrown and no offset is resolved', async () => {
  let running = true;
  const h = harness({
    failOn: () => {
      running = false;
      return new TransientError('connect ECONNREFUSED');
    },
    running: () => running,
  });
  await expect(h.run([eventAt(1)])).rejects.toThrow('ECONNREFUSED');
  expect(h.resolved).toEqual([]);
  expect(h.deadLetters).toEqual([]);
});

test('after a poison event is dead-lettered its service gives up on it (once, after the dead letter is out); readable events only', async () => {
  const h = harness({ failOn: (n) => (n === 2 ? new Error('out of range') : undefined) });
  await h.run([eventAt(1), message(2, '{not json'), eventAt(3, 2), eventAt(4)]);
  expect(h.deadLetters.map((d) => d.offset)).toEqual(['2', '3']);
  expect(h.givenUp).toEqual([{ n: 2, afterDeadLetters: 2, error: 'out of range' }]);
  expect(h.applied).toEqual([1, 4]);
  expect(h.resolved).toEqual(['4']);
});

test('giving up is retried while it fails transiently; a failure of its own is logged and the partition moves on', async () => {
  const transient = harness({
    failOn: (n) => (n === 1 ? new Error('poison') : undefined),
    giveUpFails: (call) => (call < 3 ? new TransientError('database away') : undefined),
  });
  await transient.run([eventAt(1), eventAt(2)]);
  expect(transient.giveUpCalls()).toBe(3);
  expect(transient.givenUp.map((g) => g.n)).toEqual([1]);
  expect(transient.resolved).toEqual(['2']);

  const poison = harness({
    failOn: (n) => (n === 1 ? new Error('poison') : undefined),
    giveUpFails: () => new Error('also poison'),
  });
  await poison.run([eventAt(1), eventAt(2)]);
  expect(poison.giveUpCalls()).toBe(1);
  expect(poison.applied).toEqual([2]);
  expect(poison.resolved).toEqual(['2']);
});
