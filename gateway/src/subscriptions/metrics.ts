import { Counter, Gauge } from 'prom-client';
import type { ServiceMetrics } from '@io/metrics/metrics';
import type { RunningSubscriptions } from './index';

/**
 * Subscription figures, read from the engine's own counters when Prometheus scrapes (the engine
 * already keeps them for the tests and the bench): nothing is added to the delivery path.
 */
export function registerSubscriptionMetrics(metrics: ServiceMetrics, stats: RunningSubscriptions['stats']): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'subscription_sockets',
    help: 'Open graphql-ws sockets',
    registers,
    collect() {
      this.set(stats().connections);
    },
  });
  new Gauge({
    name: 'subscriptions_active',
    help: 'Active subscriptions over all sockets',
    registers,
    collect() {
      this.set(stats().activeSubscriptions);
    },
  });
  new Counter({
    name: 'subscription_dropped_events_total',
    help: 'Events slow subscribers missed because they fell out of the resume window (each told so in extensions.droppedEvents)',
    registers,
    collect() {
      // The engine's count is the running total: the counter shows it as it is.
      this.reset();
      this.inc(stats().droppedEvents);
    },
  });
  new Gauge({
    name: 'subscription_resume_window_bytes',
    help: 'Bytes of events kept for resuming subscribers',
    registers,
    collect() {
      this.set(stats().windowBytes);
    },
  });
}
