import type { Admin, Kafka } from 'kafkajs';

/**
 * Whether the broker answers a metadata request, for readiness probes: an admin client of its own
 * that does not retry (a probe wants the answer now; the caller bounds the wait), connected on the
 * first check.
 */
export function brokerReachability(kafka: Kafka) {
  let admin: Admin | undefined;
  let connecting: Promise<void> | undefined;
  return {
    check: async (): Promise<void> => {
      admin ??= kafka.admin({ retry: { retries: 0 } });
      const connected = admin;
      connecting ??= connected.connect().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      await connecting;
      const { brokers } = await connected.describeCluster();
      if (brokers.length === 0) throw new Error('no brokers in the cluster');
    },
    close: async (): Promise<void> => {
      await admin?.disconnect();
    },
  };
}
