import type { BenchConfig } from './config';
import type { CpuTargets } from './cpu-sampler';
import { descendantsOf, pidListeningOn, readCmdline, snapshotProcesses } from './proc-stat';

/**
 * The processes to measure, found from outside: each service is whatever listens on its port and
 * must descend from this run's `npm start` (so a compiled `node dist/...` or any other launcher
 * is found the same way); Kafka is the process on KAFKA_PORT, else `java ... kafka.Kafka`.
 */
export function findTargets(config: BenchConfig, npmStartPid: number, warn: (line: string) => void): CpuTargets {
  const processes = snapshotProcesses();
  const ours = new Set(descendantsOf(npmStartPid, processes));
  const services: Record<string, number> = {};
  for (const name of ['gateway', 'inventory', 'orders', 'monitor'] as const) {
    const pid = pidListeningOn(config.ports[name]);
    if (pid === undefined) throw new Error(`nothing listens on ${name}'s port ${config.ports[name]}`);
    if (!ours.has(pid))
      throw new Error(`port ${config.ports[name]} (${name}) belongs to pid ${pid}, which npm start did not start`);
    services[name] = pid;
  }
  const kafka =
    pidListeningOn(config.ports.kafka) ??
    [...processes.keys()].find((pid) => / kafka\.Kafka( |$)/.test(readCmdline(pid)));
  if (kafka === undefined) warn(`no Kafka process found on port ${config.ports.kafka}: its CPU is not counted`);
  return { services, kafka, launcherRoot: npmStartPid };
}
