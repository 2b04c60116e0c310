/**
 * A probe, not the fault test: on a local 3-node cluster (ports 9500-9505), one idempotent producer
 * sends one message every 50 ms (acks=-1) to a 1-partition topic (RF 3, min.insync 2); the
 * partition's leader is killed with SIGKILL after 5 s and restarted 10 s later by startLocalKafka,
 * which reuses the two running nodes. Prints the longest gap between acknowledged sends and the
 * send errors. Run: `npx tsx bench/cluster-leader-kill.ts`.
 */
import { Kafka, logLevel } from 'kafkajs';
import { startProducer } from '@io/kafka/producer';
import { startLocalKafka, adminConnection } from '../scripts/kafka/local-broker';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const opts = { port: 9500, controllerPort: 9501, nodes: 3, log: () => undefined };
  const first = await startLocalKafka(opts);
  const kafka = new Kafka({
    clientId: 'probe',
    ...adminConnection(first.brokers, first.credentials),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `probe-${Date.now()}`;
  await admin.createTopics({
    topics: [
      { topic, numPartitions: 1, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] },
    ],
  });
  await sleep(2000);
  const producer = await startProducer(kafka);
  let running = true;
  let ok = 0;
  let last = Date.now();
  let maxGap = 0;
  const errors = new Map<string, number>();
  const loop = (async () => {
    while (running) {
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: String(ok) }] });
        const now = Date.now();
        maxGap = Math.max(maxGap, now - last);
        last = now;
        ok++;
      } catch (e) {
        const error = e as { type?: string; name?: string; cause?: { type?: string; name?: string } };
        const t = `${error.name}${error.cause ? ` (cause: ${error.cause.type ?? error.cause.name})` : ''}`;
        errors.set(t, (errors.get(t) ?? 0) + 1);
      }
      await sleep(50);
    }
  })();
  await sleep(5000);
  const leader = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions[0].leader;
  const node = first.nodes.find((n) => n.nodeId === leader)!;
  console.log('leader', leader, 'pid', node.pid, 'sent so far', ok);
  process.kill(node.pid!, 'SIGKILL');
  const killedAt = Date.now();
  await sleep(10_000);
  const gapAfterKill = maxGap;
  const restarted = await startLocalKafka(opts);
  console.log(
    'restart started here:',
    restarted.nodes.filter((n) => n.startedHere).map((n) => n.nodeId),
    'after',
    Date.now() - killedAt,
    'ms',
  );
  await sleep(8000);
  running = false;
  await loop;
  const md = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions[0];
  console.log(
    JSON.stringify({
      sent: ok,
      maxGapMs: gapAfterKill,
      maxGapOverall: maxGap,
      errors: Object.fromEntries(errors),
      leaderAfter: md.leader,
      isr: md.isr,
    }),
  );
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  await restarted.stop();
  await first.stop();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
