import type { Admin, Kafka } from 'kafkajs';
import type { Config } from '@io/config';
import type { ServiceName } from '@io/registry';
import { ensureAcls, removeAcls } from '../../scripts/kafka/acls';
import {
  credentialsFileFor,
  readCredentials,
  serviceCredentialsEnv,
  usesEmbeddedBroker,
  type EmbeddedCredentials,
} from '../../scripts/kafka/credentials';

/**
 * The users of the broker a test system runs on: the suite's embedded broker (global setup
 * started or reused it) unless the test brings its own. Against an external cluster there are
 * none: every service uses the configuration's own KAFKA_SASL_*.
 */
export function brokerCredentials(config: Config, own?: EmbeddedCredentials): EmbeddedCredentials | undefined {
  if (own) return own;
  return usesEmbeddedBroker(config) ? readCredentials(credentialsFileFor(config.KAFKA_PORT)) : undefined;
}

/** The variables that make a service's clients its own Kafka user (and the monitor's replays its replayer), as `npm start` gives them. */
export function serviceKafkaEnv(
  credentials: EmbeddedCredentials | undefined,
  service: ServiceName,
): Record<string, string> {
  return credentials ? serviceCredentialsEnv(credentials, service) : {};
}

/** The environment's ACLs, as `npm run setup` creates them; removed with its topics at the end. */
export async function grantAcls(admin: Admin, prefix: string, credentials: EmbeddedCredentials | undefined) {
  if (!credentials) return { revoke: async () => undefined };
  await ensureAcls(admin, prefix);
  return { revoke: () => removeAcls(admin, prefix) };
}

/**
 * Writes one message as the client's user: 'written', or the broker's refusal
 * (e.g. TOPIC_AUTHORIZATION_FAILED), which kafkajs wraps in a non-retriable error.
 */
export async function attemptWrite(kafka: Kafka, topic: string, value = '{}'): Promise<string> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: '1', value }] });
    return 'written';
  } catch (error) {
    const { type, name, cause } = error as { type?: string; name: string; cause?: { type?: string } };
    return cause?.type ?? type ?? name;
  } finally {
    await producer.disconnect();
  }
}
