import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { KafkaMessage } from 'kafkajs';
import { createLogger } from '@io/logger';
import { applyTraced, sendTraced, traceparentFor } from '@io/telemetry/messaging';
import { startTracing, stopTracing } from '@io/telemetry/tracing';

const spans = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor(spans);
beforeAll(() => startTracing([processor]));
afterAll(() => stopTracing());
beforeEach(() => spans.reset());

/** Spans are exported once the process's resource is detected, which may come after they end. */
async function finishedSpans() {
  await processor.forceFlush();
  return spans.getFinishedSpans();
}

const orderTrace = '0af7651916cd43dd8448eb211c80319c';
const otherTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const traceparent = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
const traceIdOf = (header: string | null) => header?.split('-')[1];
const parentOf = (header: string | null) => header?.split('-')[2];

function message(key: string, offset: number, header?: string): KafkaMessage {
  return {
    key: Buffer.from(key),
    value: Buffer.from('{}'),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: header ? { traceparent: Buffer.from(header) } : {},
  } as KafkaMessage;
}

test('a batch without traced messages is applied as it is: no span, and its outbox events carry no trace', async () => {
  let written: string | null = 'unset';
  await applyTraced('order-created', 'p.order-created', [message('1', 0)], async () => {
    written = traceparentFor('1');
  });
  expect(written).toBeNull();
  expect(await finishedSpans()).toEqual([]);
});

test("a batch gets a span linked to each traced message, each message a span in its own trace; an event keyed like a consumed one continues that one's trace", async () => {
  const written: Record<string, string | null> = {};
  await applyTraced(
    'order-created',
    'p.order-created',
    [
      message('1', 0, traceparent(orderTrace, '00f067aa0ba902b7')),
      message('2', 1, traceparent(otherTrace, '00f067aa0ba902b8')),
      message('3', 2),
    ],
    async () => {
      for (const key of ['1', '2', 'product-9']) written[key] = traceparentFor(key);
    },
  );

  const finished = await finishedSpans();
  expect(finished).toHaveLength(3);
  const batch = finished.find((span) => !span.parentSpanContext)!;
  expect(batch).toMatchObject({ name: 'order-created process', kind: SpanKind.CONSUMER });
  expect(batch.attributes['messaging.batch.message_count']).toBe(3);
  expect(batch.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7', '00f067aa0ba902b8']);
  const perMessage = finished.filter((span) => span.parentSpanContext);
  expect(perMessage.map((span) => [span.spanContext().traceId, span.parentSpanContext!.spanId])).toEqual([
    [orderTrace, '00f067aa0ba902b7'],
    [otherTrace, '00f067aa0ba902b8'],
  ]);
  for (const span of perMessage) expect(span.links[0].context.spanId).toBe(batch.spanContext().spanId);

  expect(traceIdOf(written['1'])).toBe(orderTrace);
  expect(parentOf(written['1'])).toBe(perMessage[0].spanContext().spanId);
  expect(traceIdOf(written['2'])).toBe(otherTrace);
  // Not keyed like a consumed event (a product's stock change): the batch's trace.
  expect(traceIdOf(written['product-9'])).toBe(batch.spanContext().traceId);
});

test('a failed batch marks its spans as errors and rethrows', async () => {
  const failure = new Error('database away');
  await expect(
    applyTraced(
      'order-created',
      'p.order-created',
      [message('1', 0, traceparent(orderTrace, '00f067aa0ba902b7'))],
      () => Promise.reject(failure),
    ),
  ).rejects.toBe(failure);
  expect((await finishedSpans()).map((span) => span.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
});

test("the relay sends a traced row in a PRODUCER span, child of the row's context, whose context the message carries; an untraced row goes as it is", async () => {
  const traced = { key: '1', headers: { 'event-id': 'a' } as Record<string, string> };
  const untraced = { key: '2', headers: { 'event-id': 'b' } as Record<string, string> };
  let sentHeaders: unknown[] = [];
  await sendTraced(
    [
      {
        event: 'order-created',
        topic: 'p.order-created',
        key: '1',
        traceparent: traceparent(orderTrace, '00f067aa0ba902b7'),
        message: traced,
      },
      { event: 'order-created', topic: 'p.order-created', key: '2', traceparent: null, message: untraced },
    ],
    async () => {
      sentHeaders = [traced.headers, untraced.headers];
    },
  );
  const finished = await finishedSpans();
  expect(finished).toHaveLength(1);
  const [publish] = finished;
  expect(publish).toMatchObject({ name: 'order-created publish', kind: SpanKind.PRODUCER });
  expect(publish.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  expect(sentHeaders).toEqual([
    { 'event-id': 'a', traceparent: traceparent(orderTrace, publish.spanContext().spanId) },
    { 'event-id': 'b' },
  ]);
});

test('a log line written inside a span names its trace and span; one written outside names none', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('test', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  let ids = { traceId: '', spanId: '' };
  trace.getTracer('test').startActiveSpan('request', (span) => {
    ids = span.spanContext();
    logger.info('inside');
    span.end();
  });
  logger.info('outside');
  expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
  expect(lines[1]).not.toHaveProperty('trace_id');
});
