import { z } from 'zod';
import { AlertSeverity, AlertState, AlertType, ServiceStatus } from '../../__generated__/api-enums';
import { product } from '../inventory/representations';
import { orderStats } from '../orders/representations';
import { count, dateTime, listOf, responseSchema } from '../schemas';

const probe = {
  service: z.string(),
  status: z.enum(ServiceStatus),
  response_time_ms: count.nullable(),
  error: z.string().nullable(),
  checked_at: dateTime,
};

export const serviceHealth = responseSchema(
  'ServiceHealth',
  z.strictObject({
    ...probe,
    availability: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'Share of HEALTHY probes over the last 60 minutes (null before the first probe).' }),
  }),
  "A service's latest state (GraphQL type ServiceHealth).",
);

const healthCheck = responseSchema(
  'HealthCheck',
  z.strictObject(probe),
  'One health probe (GraphQL type HealthCheck).',
);

export const kafkaStats = responseSchema(
  'KafkaStats',
  z.strictObject({
    brokers: count,
    topics: z.array(
      z.strictObject({
        topic: z.string(),
        partitions: count,
        messages: count,
        messages_last_minute: count,
        throughput_per_second: z.number().min(0),
      }),
    ),
    consumer_groups: z.array(z.strictObject({ group_id: z.string(), state: z.string(), members: count, lag: count })),
    dead_letters: count,
    total_messages: count,
    collected_at: dateTime,
  }),
  'Kafka figures (GraphQL type KafkaStats).',
);

const alert = responseSchema(
  'Alert',
  z.strictObject({
    id: z.string(),
    alert_type: z.enum(AlertType),
    severity: z.enum(AlertSeverity),
    state: z.enum(AlertState),
    source: z.string(),
    message: z.string(),
    entity_type: z.string().nullable(),
    entity_id: z.string().nullable(),
    raised_at: dateTime,
    count: z.number().int().positive().describe('sightings the alert groups, e.g. the orders an ORDER_REJECTED covers'),
    last_seen_at: dateTime,
    acknowledged_at: dateTime.nullable(),
    resolved_at: dateTime.nullable(),
  }),
  'An alert (GraphQL type Alert).',
);

export const dashboard = responseSchema(
  'Dashboard',
  z.strictObject({
    id: z.string(),
    services: z.array(serviceHealth),
    kafka: kafkaStats,
    open_alerts: z.array(alert),
    open_alert_count: count,
    generated_at: dateTime,
    low_stock_products: z.array(product),
    product_count: count,
    order_stats: orderStats,
  }),
  "Everything an operator's front page needs (GraphQL type Dashboard, filled by all three subgraphs).",
);

export const serviceHealthList = listOf('ServiceHealthList', serviceHealth, 'Every watched service.');
export const healthCheckList = listOf('HealthCheckList', healthCheck, "A service's probes, newest first.");
export const alertList = listOf('AlertList', alert, 'A page of alerts, newest first.');
