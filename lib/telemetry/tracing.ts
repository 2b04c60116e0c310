import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type * as Sdk from './sdk';

let running: { shutdown: () => Promise<void> } | undefined;

/**
 * Tracing is on when an exporter is configured by the standard variables: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or its traces-only twin), or `OTEL_TRACES_EXPORTER` naming one
 * (`console`, say; `none` is off). `OTEL_SDK_DISABLED=true` wins. Off, the SDK is not even loaded:
 * the API's no-op tracer is all the hot path meets.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.toLowerCase() === 'true') return false;
  if (env.OTEL_TRACES_EXPORTER) return env.OTEL_TRACES_EXPORTER.toLowerCase() !== 'none';
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Starts the SDK (see sdk.ts) once per process; `spanProcessors` replace the exporter from the environment. */
export function startTracing(spanProcessors?: SpanProcessor[]): void {
  if (running) return;
  // Loaded only now, and synchronously: the SDK and its instrumentations weigh about 50 MB and
  // must patch http, express, graphql and pg before the service requires them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { startSdk } = require('./sdk') as typeof Sdk;
  running = startSdk(spanProcessors);
}

/** Exports what is still buffered and stops the SDK (a process calls it on its way out). */
export async function stopTracing(): Promise<void> {
  const sdk = running;
  running = undefined;
  await sdk?.shutdown();
}
