import { camelCaseKeys, snakeCaseKeys } from '../case';
import { notFound } from '../errors';
import { healthRoute } from '../health';
import { runOperation } from '../operation';
import { defineRoute } from '../route';
import * as operations from './operations';
import { alertList, dashboard, healthCheckList, kafkaStats, serviceHealth, serviceHealthList } from './representations';
import { alertListQuery, defaultAlertLimit, defaultHistoryLimit, historyQuery, servicePath } from './requests';

const service = 'monitor';

/** A list GraphQL returns whole, in the paging envelope every list endpoint answers. */
const whole = <Item>(items: Item[]) => ({
  items: snakeCaseKeys(items),
  total: items.length,
  limit: items.length,
  offset: 0,
});

export const monitorRoutes = [
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/dashboard',
    operationId: 'getDashboard',
    summary: "Everything an operator's front page needs",
    description: 'GraphQL: `dashboard` (filled by all three subgraphs).',
    success: { status: 200, schema: dashboard, description: 'The dashboard' },
    handle: async (_input, execute) =>
      snakeCaseKeys((await runOperation(execute, operations.getDashboard, {})).dashboard),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/services/health',
    operationId: 'listServicesHealth',
    summary: 'State of every service',
    description: 'GraphQL: `servicesHealth`. The list is whole: limit is its length, offset 0.',
    success: { status: 200, schema: serviceHealthList, description: 'Every watched service' },
    handle: async (_input, execute) =>
      whole((await runOperation(execute, operations.getServicesHealth, {})).servicesHealth),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/services/{service}/health',
    operationId: 'getServiceHealth',
    summary: 'State of one service',
    description: 'GraphQL: `serviceHealth(service)`.',
    params: servicePath,
    errors: [404],
    success: { status: 200, schema: serviceHealth, description: "The service's latest state" },
    handle: async ({ params }, execute) => {
      const data = await runOperation(execute, operations.getServiceHealth, { service: params.service });
      if (!data.serviceHealth) throw notFound(`Service ${params.service} not found`);
      return snakeCaseKeys(data.serviceHealth);
    },
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/services/{service}/history',
    operationId: 'getServiceHealthHistory',
    summary: 'Health probes of one service, newest first',
    description:
      'GraphQL: `serviceHealthHistory(service, since, limit)`. GraphQL has no count of probes, so total is the number returned.',
    params: servicePath,
    query: historyQuery,
    errors: [404],
    success: { status: 200, schema: healthCheckList, description: 'The probes' },
    handle: async ({ params, query: { since, limit = defaultHistoryLimit } }, execute) => {
      const data = await runOperation(execute, operations.getServiceHistory, { service: params.service, since, limit });
      if (!data.serviceHealth) throw notFound(`Service ${params.service} not found`);
      return {
        items: snakeCaseKeys(data.serviceHealthHistory),
        total: data.serviceHealthHistory.length,
        limit,
        offset: 0,
      };
    },
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/kafka/stats',
    operationId: 'getKafkaStats',
    summary: 'Kafka statistics',
    description: 'GraphQL: `kafkaStats`.',
    success: { status: 200, schema: kafkaStats, description: 'The figures' },
    handle: async (_input, execute) =>
      snakeCaseKeys((await runOperation(execute, operations.getKafkaStats, {})).kafkaStats),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/monitor/alerts',
    operationId: 'listAlerts',
    summary: 'System alerts, newest first',
    description: 'GraphQL: `alerts(filter)` and `alertCount(filter)`.',
    query: alertListQuery,
    success: { status: 200, schema: alertList, description: 'A page of alerts' },
    handle: async ({ query: { limit = defaultAlertLimit, offset = 0, ...filter } }, execute) => {
      const data = await runOperation(execute, operations.listAlerts, { filter: camelCaseKeys(filter), limit, offset });
      return { items: snakeCaseKeys(data.alerts), total: data.alertCount, limit, offset };
    },
  }),
  healthRoute(service, operations.health),
];
