import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../lib/config';
import { createKafka } from '../../lib/kafka/client';
import { ensureTopics, topicNamer } from '../../lib/kafka/topics';
import { createLogger } from '../../lib/logger';
import type { RunningService } from '../../lib/service/runtime';
import { startGateway } from '../../gateway/src/server';
import { composeSupergraph } from '../../gateway/src/supergraph';
import { startInventoryService } from '../../subgraphs/inventory/src/service';
import { startMonitorService } from '../../subgraphs/monitor/src/service';
import { startOrdersService } from '../../subgraphs/orders/src/service';
import { createTestDatabase } from './test-database';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface TestSystem {
  config: Config;
  gatewayUrl: string;
  services: { inventory: RunningService; orders: RunningService; monitor: RunningService };
  graphql: <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
}

/**
 * The whole system in this process, on real Kafka and PostgreSQL: its own database, its own topic
 * prefix (so consumer groups and topics are private to the test file), every server on a free port.
 */
export async function startTestSystem(): Promise<TestSystem> {
  const database = await createTestDatabase();
  const prefix = `test-${randomBytes(4).toString('hex')}.`;
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, KAFKA_TOPIC_PREFIX: prefix, OUTBOX_POLL_MS: '500' });
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const admin = createKafka('test-admin', config.KAFKA_BROKERS.split(','), logger).admin();
  await admin.connect();
  const created = await ensureTopics(admin, topicNamer(prefix));

  const inventory = await startInventoryService(config, logger.child({ service: 'inventory' }), 0);
  const orders = await startOrdersService(config, logger.child({ service: 'orders' }), 0);
  const monitor = await startMonitorService(config, logger.child({ service: 'monitor' }), 0);
  const gateway = await startGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: { inventory: `${inventory.url}/graphql`, orders: `${orders.url}/graphql`, monitor: `${monitor.url}/graphql` },
    logger,
    port: 0,
  });

  return {
    config,
    gatewayUrl: gateway.url,
    services: { inventory, orders, monitor },
    graphql: async (query, variables) => {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<never>;
    },
    close: async () => {
      await gateway.close();
      await Promise.all([inventory.close(), orders.close(), monitor.close()]);
      await admin.deleteTopics({ topics: created });
      await admin.disconnect();
      await database.drop();
    },
  };
}
