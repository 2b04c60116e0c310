import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { replayUsers, serviceNames } from '@io/registry';
import {
  adminUser,
  embeddedMechanism,
  newPassword,
  readCredentials,
  saveCredentials,
} from '../scripts/kafka/credentials';
import { startLocalKafka, type RunningBroker } from '../scripts/kafka/local-broker';
import { freePort } from './support/free-port';

/**
 * A broker formatted before the dead-letter replayer existed has no SCRAM credential for it; the
 * next start adds it (Kafka's own ConfigCommand, as the admin) and records its password. A broker
 * of this test's own: the shared one already has every user.
 */
let brokerHome: string;
let broker: RunningBroker | undefined;

beforeAll(() => {
  brokerHome = mkdtempSync(join(tmpdir(), 'kafka-users-'));
});

afterAll(async () => {
  await broker?.stop();
  rmSync(brokerHome, { recursive: true, force: true });
});

test('a broker formatted without the replayer user gets it at the next start, and the replayer can log in', async () => {
  const credentialsFile = join(brokerHome, 'credentials.json');
  // The credentials file of a broker formatted before this change: the admin and the services only.
  const before = Object.fromEntries([adminUser, ...serviceNames].map((user) => [user, newPassword()]));
  saveCredentials(credentialsFile, { mechanism: embeddedMechanism, users: before });
  const lines: string[] = [];
  broker = await startLocalKafka({
    port: await freePort(),
    controllerPort: await freePort(),
    dataDir: join(brokerHome, 'data'),
    credentialsFile,
    log: (line) => lines.push(line),
  });

  const [replayer] = replayUsers;
  // Formatted with the users the file had; the replayer added once the broker answered.
  expect(lines.find((line) => line.startsWith('kafka: formatted'))).toContain(
    `with SASL users ${Object.keys(before).join(', ')} `,
  );
  expect(lines).toContainEqual(expect.stringContaining(`kafka: added SASL user ${replayer}`));
  const saved = readCredentials(credentialsFile)!;
  expect(saved.users).toEqual({ ...before, [replayer]: expect.any(String) });
  expect(broker.credentials).toEqual(saved);

  const admin = new Kafka({
    clientId: 'users-upgrade-test',
    brokers: broker.brokers,
    logLevel: logLevel.NOTHING,
    sasl: { mechanism: embeddedMechanism, username: replayer, password: saved.users[replayer] },
  }).admin();
  await admin.connect();
  try {
    await expect(admin.listTopics()).resolves.toEqual(expect.any(Array));
  } finally {
    await admin.disconnect();
  }
}, 120_000);
