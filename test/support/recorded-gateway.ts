import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@io/config';
import { createKafka, kafkaConnection } from '@io/kafka/client';
import { ensureTopics, topicNamer } from '@io/kafka/topics';
import { createLogger } from '@io/logger';
import { subgraphNames, type SubgraphName } from '@io/registry';
import { gatewayAuth } from '../../gateway/src/auth/settings';
import { gatewayProtection } from '../../gateway/src/protection';
import { responseCacheOptions } from '../../gateway/src/response-cache';
import { subgraphCalls } from '../../gateway/src/subgraph-breaker';
import { startGateway, type RunningGateway } from '../../gateway/src/server';
import { subscriptionLimits } from '../../gateway/src/subscriptions/limits';
import { composeSupergraph } from '../../gateway/src/supergraph';

export interface RecordedGateway {
  url: string;
  gateway: RunningGateway;
  /** The operations the gateway sent to any subgraph so far. */
  subgraphCalls: () => number;
  close: () => Promise<void>;
}

/**
 * The real gateway (on the real broker, with its own topics) in front of a stand-in for every
 * subgraph that counts what reaches it and answers `{ productCount }` with 3 — enough to prove
 * that an operation was, or was never, sent on.
 */
export async function startRecordedGateway(
  overrides: Record<string, string> = {},
  /** How long the stand-in takes to answer an operation. */
  answerDelayMs = 0,
): Promise<RecordedGateway> {
  let calls = 0;
  const subgraph: Server = createServer((request, response) => {
    if (request.method === 'POST') calls += 1;
    request.resume();
    response.setHeader('content-type', 'application/json');
    const answer = () =>
      response.end(JSON.stringify(request.method === 'POST' ? { data: { productCount: 3 } } : { status: 'healthy' }));
    if (request.method === 'POST' && answerDelayMs > 0) setTimeout(answer, answerDelayMs);
    else answer();
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const subgraphUrl = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;

  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const config = loadConfig({
    ...process.env,
    KAFKA_TOPIC_PREFIX: prefix,
    SUBGRAPH_HOP_SECRET: randomBytes(32).toString('base64url'),
    ...overrides,
  });
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const admin = createKafka('test-admin', kafkaConnection(config), logger).admin();
  await admin.connect();
  const created = await ensureTopics(admin, topicNamer(prefix));
  const gateway = await startGateway({
    auth: gatewayAuth(config),
    supergraphSdl: composeSupergraph(),
    subgraphUrls: Object.fromEntries(subgraphNames.map((name) => [name, subgraphUrl])) as Record<SubgraphName, string>,
    logger,
    port: 0,
    events: {
      kafka: createKafka('test-gateway', kafkaConnection(config), logger),
      topicName: topicNamer(prefix),
      limits: subscriptionLimits(config),
    },
    protection: gatewayProtection(config),
    responseCache: responseCacheOptions(config),
    subgraphCalls: subgraphCalls(config),
  });
  return {
    url: gateway.url,
    gateway,
    subgraphCalls: () => calls,
    close: async () => {
      await gateway.close();
      await new Promise((resolve) => subgraph.close(resolve));
      await admin.deleteTopics({ topics: created });
      await admin.disconnect();
    },
  };
}
