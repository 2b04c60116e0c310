import { graphql } from '../../__generated__/rest';

/**
 * The GraphQL operations behind the monitor routes; their selections are the REST representations.
 * The dashboard reuses `RestProductFields` (inventory) and `RestOrderStatsFields` (orders): fragment names are global.
 */

export const healthCheckFields = graphql(`
  fragment RestHealthCheckFields on HealthCheck {
    service
    status
    responseTimeMs
    error
    checkedAt
  }
`);

export const serviceHealthFields = graphql(`
  fragment RestServiceHealthFields on ServiceHealth {
    service
    status
    responseTimeMs
    error
    checkedAt
    availability
  }
`);

export const kafkaStatsFields = graphql(`
  fragment RestKafkaStatsFields on KafkaStats {
    brokers
    topics {
      topic
      partitions
      messages
      messagesLastMinute
      throughputPerSecond
    }
    consumerGroups {
      groupId
      state
      members
      lag
    }
    deadLetters
    totalMessages
    collectedAt
  }
`);

export const alertFields = graphql(`
  fragment RestAlertFields on Alert {
    id
    alertType
    severity
    state
    source
    message
    entityType
    entityId
    raisedAt
    count
    lastSeenAt
    acknowledgedAt
    resolvedAt
  }
`);

export const getDashboard = graphql(`
  query RestDashboard {
    dashboard {
      id
      services {
        ...RestServiceHealthFields
      }
      kafka {
        ...RestKafkaStatsFields
      }
      openAlerts {
        ...RestAlertFields
      }
      openAlertCount
      generatedAt
      lowStockProducts {
        ...RestProductFields
      }
      productCount
      orderStats {
        ...RestOrderStatsFields
      }
    }
  }
`);

export const getServicesHealth = graphql(`
  query RestServicesHealth {
    servicesHealth {
      ...RestServiceHealthFields
    }
  }
`);

export const getServiceHealth = graphql(`
  query RestServiceHealth($service: String!) {
    serviceHealth(service: $service) {
      ...RestServiceHealthFields
    }
  }
`);

export const getServiceHistory = graphql(`
  query RestServiceHistory($service: String!, $since: DateTime, $limit: Int) {
    serviceHealth(service: $service) {
      service
    }
    serviceHealthHistory(service: $service, since: $since, limit: $limit) {
      ...RestHealthCheckFields
    }
  }
`);

export const getKafkaStats = graphql(`
  query RestKafkaStats {
    kafkaStats {
      ...RestKafkaStatsFields
    }
  }
`);

export const listAlerts = graphql(`
  query RestListAlerts($filter: AlertFilter, $limit: Int, $offset: Int) {
    alerts(filter: $filter, limit: $limit, offset: $offset) {
      ...RestAlertFields
    }
    alertCount(filter: $filter)
  }
`);

export const health = graphql(`
  query RestMonitorHealth {
    alerts(limit: 1) {
      id
    }
  }
`);
