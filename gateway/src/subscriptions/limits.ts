import type { Config } from '../../../lib/config';
import type { SubscriptionLimits } from '.';

export function subscriptionLimits(config: Config): SubscriptionLimits {
  return {
    resumeWindowMs: config.SUBSCRIPTION_RESUME_WINDOW_MS,
    maxConnections: config.MAX_WS_CONNECTIONS,
    maxSubscriptionsPerSocket: config.MAX_SUBSCRIPTIONS_PER_SOCKET,
    queueSize: config.SUBSCRIBER_QUEUE_SIZE,
  };
}
