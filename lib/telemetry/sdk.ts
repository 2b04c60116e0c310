import type { IncomingMessage } from 'node:http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

// Probes and scrapes every few seconds would each start a trace of their own and bury the requests.
const ignoredPaths = /^\/(health|metrics)(\/|$|\?)/;
const isProbe = (request: IncomingMessage) => ignoredPaths.test(request.url ?? '');

/**
 * The OpenTelemetry SDK for this process: W3C trace context, the exporter the standard variables
 * select (OTLP over http/protobuf by default; `OTEL_SERVICE_NAME` names the service), and the
 * instrumentations that fit: http (incoming requests), undici (the gateway's subgraph fetches,
 * which carry the context to the subgraphs), express, graphql, pg. Kafka is traced by
 * lib/telemetry/messaging.ts, because the context travels in the outbox row, not in the relay's.
 * `spanProcessors` replaces the exporter from the environment (tests collect spans in memory).
 */
export function startSdk(spanProcessors?: SpanProcessor[]): NodeSDK {
  const sdk = new NodeSDK({
    spanProcessors,
    // Traces only: metrics are served as Prometheus text, logs are written by pino to stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isProbe }),
      // Only inside a traced request or event: the monitor's probes would start a trace each.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, mergeItems: true }),
      // Likewise: the outbox relay's and the monitor's polling would start a trace for every query.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  return sdk;
}
