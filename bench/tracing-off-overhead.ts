import type { KafkaMessage } from 'kafkajs';
import { createLogger } from '@io/logger';
import { applyTraced, receiveTraced, sendTraced, traceparentFor } from '@io/telemetry/messaging';

/**
 * What tracing costs the saga's hot path when it is off (no SDK loaded, as `npm start` runs
 * without OTEL_EXPORTER_OTLP_ENDPOINT): each call the saga makes per event, timed alone in CPU
 * time, so the figure does not depend on what else the machine runs. `npx tsx bench/tracing-off-overhead.ts`.
 */
const rounds = 1_000_000;

function cpuNanosPerCall(run: () => unknown): number {
  for (let i = 0; i < 10_000; i += 1) run();
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i += 1) run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / rounds;
}

async function cpuNanosPerAsyncCall(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10_000; i += 1) await run();
  const start = process.cpuUsage();
  for (let i = 0; i < rounds; i += 1) await run();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / rounds;
}

const message = {
  key: Buffer.from('42'),
  value: Buffer.from('{}'),
  offset: '7',
  headers: { 'event-id': 'x' },
} as unknown as KafkaMessage;
const row = { event: 'order-created', topic: 'order-created', key: '42', traceparent: null, message: { headers: {} } };
const nothing = () => Promise.resolve();
const logger = createLogger('bench', 'info', { write: () => undefined });

async function main() {
  const figures = {
    'traceparentFor (per outbox event)': cpuNanosPerCall(() => traceparentFor('42')),
    'applyTraced, untraced message (per consumed event, batch of 1)': await cpuNanosPerAsyncCall(() =>
      applyTraced('order-created', 'order-created', [message], nothing),
    ),
    'sendTraced, untraced row (per published event, batch of 1)': await cpuNanosPerAsyncCall(() =>
      sendTraced([row], nothing),
    ),
    'receiveTraced, untraced message (per event at the gateway)': cpuNanosPerCall(() =>
      receiveTraced('order-created', 'order-created', message, () => 0),
    ),
    'a log line, with the trace mixin (per line)': cpuNanosPerCall(() => logger.info('line')),
    'baseline: an awaited no-op': await cpuNanosPerAsyncCall(nothing),
  };
  for (const [what, nanos] of Object.entries(figures)) console.log(`${nanos.toFixed(0).padStart(6)} ns  ${what}`);
}

void main();
