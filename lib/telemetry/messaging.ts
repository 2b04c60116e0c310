import {
  context,
  createContextKey,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * Trace context across the outbox and Kafka, propagated by hand with the API's W3C propagator:
 * an event's context is captured when its outbox row is written (`traceparent` column), the relay
 * sends it as the message's `traceparent` header, and consumers continue the trace from it.
 * (@opentelemetry/instrumentation-kafkajs would inject the relay's own context, the same for a
 * whole batch of rows written by different requests, and wraps kafkajs' eachBatch rather than the
 * transactions a batch is applied in.)
 */

const tracer = trace.getTracer('@io/messaging');

/** The contexts of the events being applied, by message key: see `traceparentFor`. */
const consumedByKey = createContextKey('io.consumed-events-by-key');

function traceparentOf(source: Context): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(source, carrier);
  return carrier.traceparent ?? null;
}

/**
 * The trace an outbox event written now belongs to: while a consumer applies a batch, an event
 * keyed like one of the consumed events continues that event's trace (an order's events are keyed
 * by its id, so order-processed continues order-created's trace); otherwise the active one (the
 * request or the batch). Null when nothing is traced.
 */
export function traceparentFor(key: string): string | null {
  const active = context.active();
  const consumed = active.getValue(consumedByKey) as Map<string, Context> | undefined;
  const source = consumed?.get(key) ?? active;
  return trace.getSpan(source) ? traceparentOf(source) : null;
}

/** Spans are named by the catalog's topic; the attribute names the topic as Kafka knows it (with the environment's prefix). */
const messagingAttributes = (topic: string) => ({ 'messaging.system': 'kafka', 'messaging.destination.name': topic });

function failed(span: Span, error: unknown): void {
  span.recordException(error as Error);
  span.setStatus({ code: SpanStatusCode.ERROR });
}

const fromTraceparent = (traceparent: string) => propagation.extract(ROOT_CONTEXT, { traceparent });

function headerValue(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first?.toString();
}

/**
 * One PRODUCER span per traced row, child of the context stored with the row, around the send;
 * the message carries the span's context (or the row's own when this process does not trace).
 * Untraced rows go as they are, and when no row is traced nothing is created.
 */
export async function sendTraced<T extends { headers?: IHeaders }>(
  rows: readonly { event: string; topic: string; key: string; traceparent: string | null; message: T }[],
  send: () => Promise<unknown>,
): Promise<void> {
  const spans: Span[] = [];
  for (const row of rows) {
    if (!row.traceparent) continue;
    const span = tracer.startSpan(
      `${row.event} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: { ...messagingAttributes(row.topic), 'messaging.kafka.message.key': row.key },
      },
      fromTraceparent(row.traceparent),
    );
    spans.push(span);
    const traceparent = span.isRecording() ? traceparentOf(trace.setSpan(ROOT_CONTEXT, span)) : row.traceparent;
    row.message.headers = { ...row.message.headers, traceparent: traceparent ?? row.traceparent };
  }
  try {
    await send();
  } catch (error) {
    for (const span of spans) failed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Applies a batch of consumed messages (one transaction) in a trace:
 * - one CONSUMER span for the batch, linked to every traced message (the transaction is one unit
 *   of work shared by many traces, so it belongs to none of them as a child);
 * - one CONSUMER span per traced message, a child of the message's context and linked to the
 *   batch span, so each order's trace shows the step that applied it, as long as the batch took;
 *   outbox events written meanwhile continue the trace of the message with their key.
 * A batch without a traced message runs as it is: nothing is created.
 */
export async function applyTraced(
  event: string,
  topic: string,
  messages: readonly KafkaMessage[],
  apply: () => Promise<void>,
): Promise<void> {
  const traced = messages.flatMap((message) => {
    const traceparent = headerValue(message.headers, 'traceparent');
    return traceparent ? [{ message, parent: fromTraceparent(traceparent) }] : [];
  });
  if (traced.length === 0) return apply();
  const attributes = messagingAttributes(topic);
  const links: Link[] = traced.flatMap(({ parent }) => {
    const span = trace.getSpan(parent);
    return span ? [{ context: span.spanContext() }] : [];
  });
  const batch = tracer.startSpan(
    `${event} process`,
    { kind: SpanKind.CONSUMER, links, attributes: { ...attributes, 'messaging.batch.message_count': messages.length } },
    ROOT_CONTEXT,
  );
  const perMessage = traced.map(({ message, parent }) => {
    const span = tracer.startSpan(
      `${event} process`,
      {
        kind: SpanKind.CONSUMER,
        links: [{ context: batch.spanContext() }],
        attributes: {
          ...attributes,
          'messaging.kafka.message.key': message.key?.toString() ?? '',
          'messaging.kafka.offset': Number(message.offset),
        },
      },
      parent,
    );
    return { key: message.key?.toString() ?? '', span };
  });
  const byKey = new Map(perMessage.map(({ key, span }) => [key, trace.setSpan(ROOT_CONTEXT, span)]));
  const spans = [batch, ...perMessage.map(({ span }) => span)];
  try {
    await context.with(trace.setSpan(ROOT_CONTEXT, batch).setValue(consumedByKey, byKey), apply);
  } catch (error) {
    for (const span of spans) failed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs `receive` as a CONSUMER span that continues the message's trace, when the message carries
 * one (the gateway's receipt of an event for its subscribers).
 */
export function receiveTraced<T>(event: string, topic: string, message: KafkaMessage, receive: () => T): T {
  const traceparent = headerValue(message.headers, 'traceparent');
  if (!traceparent) return receive();
  return tracer.startActiveSpan(
    `${event} receive`,
    { kind: SpanKind.CONSUMER, attributes: messagingAttributes(topic) },
    fromTraceparent(traceparent),
    (span) => {
      try {
        return receive();
      } finally {
        span.end();
      }
    },
  );
}
