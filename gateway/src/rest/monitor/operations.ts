import { orderStatsFields } from '../orders/operations';

/** The GraphQL operations behind the monitor routes; their selections are the REST representations. */

const probe = 'service status responseTimeMs error checkedAt';
const serviceHealth = `${probe} availability`;
const kafkaStats = `brokers topics { topic partitions messages messagesLastMinute throughputPerSecond }
  consumerGroups { groupId state members lag } deadLetters totalMessages collectedAt`;
const alert = 'id alertType severity state source message entityType entityId raisedAt acknowledgedAt resolvedAt';
const product = 'id name description price stockQuantity minStockLevel isLowStock stockLevel createdAt updatedAt';

export const getDashboard = `query RestDashboard {
  dashboard {
    id services { ${serviceHealth} } kafka { ${kafkaStats} } openAlerts { ${alert} } openAlertCount generatedAt
    lowStockProducts { ${product} } productCount orderStats { ${orderStatsFields} }
  }
}`;

export const getServicesHealth = `query RestServicesHealth { servicesHealth { ${serviceHealth} } }`;

export const getServiceHealth = `query RestServiceHealth($service: String!) { serviceHealth(service: $service) { ${serviceHealth} } }`;

export const getServiceHistory = `query RestServiceHistory($service: String!, $since: DateTime, $limit: Int) {
  serviceHealth(service: $service) { service }
  serviceHealthHistory(service: $service, since: $since, limit: $limit) { ${probe} }
}`;

export const getKafkaStats = `query RestKafkaStats { kafkaStats { ${kafkaStats} } }`;

export const listAlerts = `query RestListAlerts($filter: AlertFilter, $limit: Int, $offset: Int) {
  alerts(filter: $filter, limit: $limit, offset: $offset) { ${alert} }
  alertCount(filter: $filter)
}`;

export const health = 'query RestMonitorHealth { alerts(limit: 1) { id } }';
