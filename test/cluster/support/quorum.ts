import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { adminUser, type EmbeddedCredentials } from '../../../scripts/kafka/credentials';
import { kafkaHome } from '../../../scripts/kafka/local-broker';

const run = promisify(execFile);

/**
 * The node that leads the KRaft quorum (the active controller), from Kafka's own tool
 * (`kafka-metadata-quorum describe --status`, the DescribeQuorum API kafkajs does not speak). A
 * client's metadata names a random broker as "controller" in KRaft, so it cannot tell.
 */
export async function quorumLeader(broker: string, credentials: EmbeddedCredentials): Promise<number> {
  const config = join(tmpdir(), `quorum-${process.pid}-${Date.now()}.properties`);
  writeFileSync(
    config,
    [
      'security.protocol=SASL_PLAINTEXT',
      'sasl.mechanism=SCRAM-SHA-512',
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${adminUser}" password="${credentials.users[adminUser]}";`,
    ].join('\n'),
    { mode: 0o600 }, // the admin's password
  );
  try {
    const { stdout } = await run(
      'java',
      [
        '-cp',
        `${join(kafkaHome, 'libs')}/*`,
        'org.apache.kafka.tools.MetadataQuorumCommand',
        '--bootstrap-server',
        broker,
        '--command-config',
        config,
        'describe',
        '--status',
      ],
      { timeout: 60_000 },
    );
    const leader = /^LeaderId:\s+(\d+)/m.exec(stdout)?.[1];
    if (leader === undefined) throw new Error(`no LeaderId in kafka-metadata-quorum's answer: ${stdout}`);
    return Number(leader);
  } finally {
    rmSync(config, { force: true });
  }
}
