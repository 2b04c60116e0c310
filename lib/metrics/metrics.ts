import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label';

/** Request latencies: 1 ms to 10 s (a cached read takes about a millisecond, a slow cross-subgraph query seconds). */
const requestBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * The event-loop lag histogram samples with a timer of this period (prom-client's default is
 * 10 ms). A 10 ms timer alone cost an idle process 1.1 % of a core here, about all an idle service
 * used (a bare Node process over 20 s: 22 ticks at 10 ms, 3 at 100 ms, 0 without); at 100 ms each
 * sample still measures the lag to the nanosecond, ten times a second.
 */
const eventLoopMonitoringPrecision = 100;

/**
 * Node's own figures (CPU, memory, event-loop lag, GC, handles) describe the process, not a service:
 * collected once per process and shown by every service it runs (one in production, all of them in
 * the tests, which run the whole system in one process).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision });
  }
  return processRegistry;
}

/**
 * The Prometheus metrics of one service (prom-client, the Node client Prometheus lists), in a
 * registry of its own so that services sharing a process keep separate figures. Modules with
 * figures of their own (outbox, subscriptions, the saga, Kafka statistics) register on `registry`.
 * Counters are incremented once per Kafka batch or outbox batch, never per row.
 */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route (REST route pattern, /graphql, /health...) and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: requestBuckets,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP by operation name and type (query, mutation), parse to response',
    labelNames: ['operation', 'type'] as const,
    buckets: requestBuckets,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses by extensions.code (as the client received it, after masking)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly restErrors = new Counter({
    name: 'rest_errors_total',
    help: 'REST error responses by their error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly kafkaProduced = new Counter({
    name: 'kafka_messages_produced_total',
    help: 'Messages this service published, by topic (event catalog name, without the environment prefix)',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly kafkaConsumed = new Counter({
    name: 'kafka_messages_consumed_total',
    help: 'Messages this service consumed (applied, skipped as duplicates or dead-lettered), by group and topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'kafka_dead_letters_total',
    help: 'Messages this service set aside on the dead-letter topic, by consumer group and source topic',
    labelNames: ['group', 'topic'] as const,
    registers: [this.registry],
  });

  /**
   * Operation names come from clients: past this many distinct names, new ones are counted as
   * `(other)`, so that a client inventing names cannot grow the gateway's memory or the scrape.
   */
  readonly operationNames = new BoundedLabel(200, '(other)');

  readonly contentType = this.registry.contentType;

  /** The Prometheus text exposition: this process's figures, then the service's. */
  async exposition(): Promise<string> {
    const [process, service] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process}\n${service}`;
  }
}
