// First: tracing (when configured) must patch http, express, graphql and pg before they load.
import '@io/telemetry/register';
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { subgraphUrls } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { topicNamer } from '@io/kafka/topics';
import { runMain } from '@io/service/main';
import { warnIfMetricsOpen } from '@io/service/metrics-route';
import { gatewayProtection } from './protection';
import { gatewayAuth } from './auth/settings';
import { responseCacheOptions } from './response-cache';
import { startGateway } from './server';
import { subgraphCalls } from './subgraph-breaker';
import { subscriptionLimits } from './subscriptions/limits';
import { supergraphPath } from './supergraph';

const developmentBanner = [
  '',
  '**************************************************************************************',
  '  AUTH IS OFF: development mode (no AUTH_JWT_SECRET / AUTH_JWKS_URL / AUTH_JWKS_FILE).',
  '  Callers without a token are admin. Requests with a token are judged by that token:',
  '  `npm run token -- --role viewer` (or --email you@example.com for a customer).',
  '**************************************************************************************',
].join('\n');

runMain('gateway', async (config, logger) => {
  // Read by V8 each time it sizes the heap after a full collection, so setting it here takes effect.
  if (config.GATEWAY_HEAP_GROWING_PERCENT > 0)
    setFlagsFromString(`--heap-growing-percent=${config.GATEWAY_HEAP_GROWING_PERCENT}`);
  if (!existsSync(supergraphPath)) throw new Error(`${supergraphPath} is missing: run \`npm run build\` first`);
  const auth = gatewayAuth(config);
  if (auth.mode.kind === 'development') {
    // On the terminal, not only in the JSON log: nobody should run this mode without noticing.
    console.warn(developmentBanner);
    logger.warn({ auth: 'development' }, 'auth is off: development mode');
  }
  warnIfMetricsOpen(config, logger);
  return startGateway({
    auth,
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: subgraphUrls(config),
    logger,
    port: config.GATEWAY_PORT,
    host: config.HOST,
    events: {
      kafka: createKafka('gateway', kafkaConnection(config), logger, {
        requestTimeoutMs: config.KAFKA_REQUEST_TIMEOUT_MS,
      }),
      topicName: topicNamer(config.KAFKA_TOPIC_PREFIX),
      limits: subscriptionLimits(config),
    },
    protection: gatewayProtection(config),
    responseCache: responseCacheOptions(config),
    metricsToken: config.METRICS_TOKEN,
    restarts: config.SUPERVISOR_RESTARTS,
    subgraphCalls: subgraphCalls(config),
  });
});
