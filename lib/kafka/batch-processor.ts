import type { KafkaMessage } from 'kafkajs';
import { InvalidEventError, parseEnvelope, type Envelope, type EventDefinition } from '@io/events/envelope';
import type { Logger } from '@io/logger';
import { failpoint } from '@io/fault/failpoints';
import { classifyFailure, type FailureKind } from './failure';

/** The part of kafkajs' eachBatch payload that the processor uses. */
export interface BatchControls {
  resolveOffset: (offset: string) => void;
  commitOffsetsIfNecessary: () => Promise<void>;
  heartbeat: () => Promise<void>;
  isRunning: () => boolean;
}

export interface BatchProcessorOptions<T> {
  event: EventDefinition<T>;
  handle: (envelopes: Envelope<T>[]) => Promise<void>;
  /** Sets a message aside on the dead-letter topic (`attempts` 0: it could not be read). */
  deadLetter: (message: KafkaMessage, error: unknown, attempts: number) => Promise<void>;
  /**
   * What the handler's service does about an event it set aside, after the dead letter is out
   * (e.g. inventory rejects the order it could not decide, so no order waits for ever). Runs in
   * its own transaction; a transient failure is retried like the handler's, any other is logged.
   */
  giveUp?: (envelope: Envelope<T>, error: unknown) => Promise<void>;
  logger: Logger;
  /** Attempts of a handler that fails for a reason of the event's own before the event is dead-lettered. */
  maxAttempts: number;
  /** First retry delay; doubles with every attempt up to `maxRetryDelayMs`. */
  retryDelayMs: number;
  maxRetryDelayMs?: number;
  /** Most events handed to the handler at once (one transaction). */
  maxBatchSize: number;
  classify?: (error: unknown) => FailureKind;
  /** Runs each handler call given the messages it applies (tracing wraps it in spans). */
  around?: (messages: readonly KafkaMessage[], apply: () => Promise<void>) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

interface Parsed<T> {
  message: KafkaMessage;
  envelope: Envelope<T>;
}

/** Transient failures of a whole batch that are retried as a batch before it is split into single events. */
const batchRetries = 3;

/**
 * Applies one partition's messages in offset order, up to `maxBatchSize` events per handler call.
 * Guarantees:
 * - an offset is resolved only after every event up to it was applied or dead-lettered, so a crash
 *   re-delivers, never skips;
 * - an unreadable message is dead-lettered at once;
 * - a batch that fails is retried event by event, so one poison event is isolated while the events
 *   around it are applied; it is dead-lettered after `maxAttempts`;
 * - a transient failure (database or broker away) is retried until it passes or the consumer
 *   stops (then the error is thrown and nothing after the last resolved offset is resolved):
 *   an outage never dead-letters good events.
 */
export function batchProcessor<T>(options: BatchProcessorOptions<T>) {
  const { logger, maxAttempts, maxBatchSize } = options;
  const classify = options.classify ?? classifyFailure;
  const around = options.around ?? ((_messages, apply) => apply());
  const handle = (items: Parsed<T>[]) =>
    around(
      items.map((item) => item.message),
      () => options.handle(items.map((item) => item.envelope)),
    );
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((wake) => setTimeout(wake, ms)));
  const delay = (attempt: number) =>
    Math.min(options.retryDelayMs * 2 ** (attempt - 1), options.maxRetryDelayMs ?? 5000);

  async function backOff(controls: BatchControls, attempt: number, error: unknown, what: object): Promise<void> {
    if (!controls.isRunning()) throw error;
    logger.warn({ err: error, topic: options.event.topic, attempt, ...what }, 'event handler failed; retrying');
    await sleep(delay(attempt));
    await controls.heartbeat();
  }

  async function applyAlone(item: Parsed<T>, controls: BatchControls): Promise<void> {
    for (let attempt = 1, poisonAttempts = 0; ; attempt += 1) {
      try {
        await handle([item]);
        return;
      } catch (error) {
        if (classify(error) === 'poison' && (poisonAttempts += 1) >= maxAttempts) {
          await options.deadLetter(item.message, error, poisonAttempts);
          await giveUp(item, error, controls);
          return;
        }
        await backOff(controls, attempt, error, { offset: item.message.offset });
      }
    }
  }

  async function giveUp(item: Parsed<T>, cause: unknown, controls: BatchControls): Promise<void> {
    if (!options.giveUp) return;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await options.giveUp(item.envelope, cause);
        return;
      } catch (error) {
        if (classify(error) === 'poison') {
          logger.error(
            { err: error, topic: options.event.topic, offset: item.message.offset },
            'giving up on a dead-lettered event failed; it is left as it is',
          );
          return;
        }
        await backOff(controls, attempt, error, { offset: item.message.offset, givingUp: true });
      }
    }
  }

  async function applyChunk(items: Parsed<T>[], controls: BatchControls): Promise<void> {
    if (items.length === 1) return applyAlone(items[0], controls);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await handle(items);
        return;
      } catch (error) {
        if (classify(error) === 'poison' || attempt >= batchRetries) break;
        await backOff(controls, attempt, error, { events: items.length });
      }
    }
    logger.warn(
      { topic: options.event.topic, events: items.length },
      'batch failed; applying its events one at a time',
    );
    for (const item of items) await applyAlone(item, controls);
  }

  return async (messages: readonly KafkaMessage[], controls: BatchControls): Promise<void> => {
    for (let start = 0; start < messages.length; start += maxBatchSize) {
      if (!controls.isRunning()) return;
      const chunk = messages.slice(start, start + maxBatchSize);
      const parsed: Parsed<T>[] = [];
      for (const message of chunk) {
        try {
          parsed.push({ message, envelope: parseEnvelope(options.event, message.value) });
        } catch (error) {
          if (!(error instanceof InvalidEventError)) throw error;
          await options.deadLetter(message, error, 0);
        }
      }
      if (parsed.length > 0) {
        await applyChunk(parsed, controls);
        await failpoint('consumer.applied', logger);
      }
      controls.resolveOffset(chunk[chunk.length - 1].offset);
      await controls.commitOffsetsIfNecessary();
      await controls.heartbeat();
    }
  };
}
