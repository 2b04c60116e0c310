import { existsSync, readFileSync } from 'node:fs';
import { kafkaBrokers, subgraphUrls } from '@io/config';
import { createKafka } from '@io/kafka/client';
import { topicNamer } from '@io/kafka/topics';
import { runMain } from '@io/service/main';
import { gatewayProtection } from './protection';
import { responseCacheOptions } from './response-cache';
import { startGateway } from './server';
import { subscriptionLimits } from './subscriptions/limits';
import { supergraphPath } from './supergraph';

runMain('gateway', async (config, logger) => {
  if (!existsSync(supergraphPath)) throw new Error(`${supergraphPath} is missing: run \`npm run build\` first`);
  return startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: subgraphUrls(config),
    logger,
    port: config.GATEWAY_PORT,
    host: config.HOST,
    events: {
      kafka: createKafka('gateway', kafkaBrokers(config), logger),
      topicName: topicNamer(config.KAFKA_TOPIC_PREFIX),
      limits: subscriptionLimits(config),
    },
    protection: gatewayProtection(config),
    responseCache: responseCacheOptions(config),
  });
});
