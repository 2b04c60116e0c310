import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { kafkaBrokers, type Config } from '@io/config';
import { fromProjectRoot } from '@io/project-root';
import { replayUserOf, replayUsers, serviceNamed, serviceNames, type ServiceName } from '@io/registry';

/**
 * The embedded broker's users: an admin (a super user: setup, the supervisor, the tests), one per
 * registered service and one per service that replays dead letters (the registry's
 * `replaysDeadLetters.kafkaUser`), whose ACLs scripts/kafka/acls.ts derives. Generated once, when the broker's
 * data is formatted (SCRAM credentials are written into its metadata log then), and kept in a file
 * readable by this user only, next to the data: `.kafka/credentials-<port>.json`. Per port, because
 * worktrees share `.kafka` and each broker on this machine has its own port.
 */
export const adminUser = 'admin';

/** The SCRAM variant the broker enables, as kafkajs names it; Kafka's name is upper case. */
export const embeddedMechanism = 'scram-sha-512' as const;

export interface EmbeddedCredentials {
  mechanism: typeof embeddedMechanism;
  /** Password by user name. */
  users: Record<string, string>;
}

export const credentialsFileFor = (port: number): string => fromProjectRoot('.kafka', `credentials-${port}.json`);

export function readCredentials(file: string): EmbeddedCredentials | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as EmbeddedCredentials;
}

/** A random password in base64url: nothing Kafka's tools reserve in their `[name=...,password=...]` syntax. */
export const newPassword = (): string => randomBytes(24).toString('base64url');

export function saveCredentials(file: string, credentials: EmbeddedCredentials): void {
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}

/** Every user the embedded broker has: the admin, each registered service, each dead-letter replayer. */
const embeddedUsers = (): string[] => [adminUser, ...serviceNames, ...replayUsers];

/** Reads the file, or writes a new one with a password for each of the embedded broker's users. */
export function loadOrCreateCredentials(file: string): EmbeddedCredentials {
  const existing = readCredentials(file);
  if (existing) return existing;
  const users = Object.fromEntries(embeddedUsers().map((user) => [user, newPassword()]));
  const credentials: EmbeddedCredentials = { mechanism: embeddedMechanism, users };
  saveCredentials(file, credentials);
  return credentials;
}

/**
 * Users that have no password yet: registered (a service, a replayer) after the broker's data was
 * formatted, e.g. the dead-letter replayer on a broker formatted before it existed.
 */
export const missingUsers = (credentials: EmbeddedCredentials): string[] =>
  embeddedUsers().filter((name) => !(name in credentials.users));

/** The variables (KAFKA_SASL_*) that make a client `user` of the embedded broker. */
export function credentialsEnv(credentials: EmbeddedCredentials, user: string): Record<string, string> {
  const password = credentials.users[user];
  if (!password) throw new Error(`kafka: no user ${user} in the embedded broker's credentials`);
  return { KAFKA_SASL_MECHANISM: credentials.mechanism, KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD: password };
}

/**
 * What a service's process needs to reach the embedded broker as itself: its own user
 * (KAFKA_SASL_*) and, for a service that replays dead letters, its replayer user
 * (KAFKA_REPLAY_SASL_*), as `npm start` and the tests give them.
 */
export function serviceCredentialsEnv(credentials: EmbeddedCredentials, service: ServiceName): Record<string, string> {
  const replayUser = replayUserOf(serviceNamed(service));
  if (!replayUser) return credentialsEnv(credentials, service);
  const replay = credentialsEnv(credentials, replayUser);
  return {
    ...credentialsEnv(credentials, service),
    KAFKA_REPLAY_SASL_USERNAME: replay.KAFKA_SASL_USERNAME,
    KAFKA_REPLAY_SASL_PASSWORD: replay.KAFKA_SASL_PASSWORD,
  };
}

/**
 * True when KAFKA_BROKERS names only nodes of the embedded cluster on this machine: its first node's
 * port (KAFKA_PORT), or with KAFKA_BROKERS_LOCAL nodes any of their ports (KAFKA_PORT+2i).
 */
export function usesEmbeddedBroker(config: Config): boolean {
  const local = Array.from({ length: config.KAFKA_BROKERS_LOCAL }, (_, index) => config.KAFKA_PORT + 2 * index).flatMap(
    (port) => [`127.0.0.1:${port}`, `localhost:${port}`],
  );
  const brokers = kafkaBrokers(config);
  return brokers.length > 0 && brokers.every((broker) => local.includes(broker));
}

/**
 * KAFKA_SASL_* for `user` when the configuration points at the embedded broker and sets no SASL by
 * hand (what it sets wins); nothing otherwise, e.g. for an external cluster.
 */
export function embeddedCredentialsEnv(config: Config, user: string): Record<string, string> {
  if (config.KAFKA_SASL_MECHANISM || !usesEmbeddedBroker(config)) return {};
  const credentials = readCredentials(credentialsFileFor(config.KAFKA_PORT));
  return credentials ? credentialsEnv(credentials, user) : {};
}

/** Kafka's own spelling of a SCRAM credential for `kafka-storage format --add-scram`. */
export function scramFormatArguments(credentials: EmbeddedCredentials): string[] {
  return Object.entries(credentials.users).flatMap(([name, password]) => [
    '--add-scram',
    `${credentials.mechanism.toUpperCase()}=[name=${name},password=${password}]`,
  ]);
}
