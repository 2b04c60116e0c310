import type { Config } from '@io/config';
import type { SubscriptionLimits } from '.';

export function subscriptionLimits(config: Config): SubscriptionLimits {
  return {
    resumeWindowMs: config.SUBSCRIPTION_RESUME_WINDOW_MS,
    resumeWindowBytes: config.SUBSCRIPTION_WINDOW_BYTES,
    maxConnections: config.MAX_WS_CONNECTIONS,
    maxConnectionsPerAddress: config.MAX_WS_CONNECTIONS_PER_ADDRESS,
    maxSubscriptionsPerSocket: config.MAX_SUBSCRIPTIONS_PER_SOCKET,
    sendBufferBytes: config.SUBSCRIBER_SEND_BUFFER_BYTES,
  };
}
