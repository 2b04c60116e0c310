import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A span as OTLP/JSON carries it (ids in hex), with the name of the service that sent it. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

interface KeyValue {
  key: string;
  value: Record<string, unknown>;
}

interface ExportRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: {
      scope: { name: string };
      spans: (Omit<ReceivedSpan, 'service' | 'scope' | 'attributes' | 'links'> & {
        attributes?: KeyValue[];
        links?: { traceId: string; spanId: string }[];
      })[];
    }[];
  }[];
}

/** OTLP/JSON's AnyValue: one field named by its type (intValue travels as a string). */
const plain = (value: Record<string, unknown>) => {
  const [[type, inner]] = Object.entries(value);
  return type === 'intValue' ? Number(inner) : inner;
};
const attributesOf = (list: KeyValue[] = []) => Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]));

/**
 * What an OpenTelemetry collector is to the services: an OTLP/HTTP endpoint (`/v1/traces`), here
 * for the JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), keeping every span it receives.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest;
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = String(attributesOf(resource.attributes)['service.name']);
        for (const { scope, spans: received } of scopeSpans)
          for (const span of received)
            spans.push({
              service,
              scope: scope.name,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId || undefined,
              name: span.name,
              kind: span.kind,
              attributes: attributesOf(span.attributes),
              links: (span.links ?? []).map(({ traceId, spanId }) => ({ traceId, spanId })),
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
