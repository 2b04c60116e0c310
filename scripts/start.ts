import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { authMode, hopSecret } from '@io/auth/mode';
import { ConfigError, loadConfig, servicePort, type Config } from '@io/config';
import { startOrder, startStages, type Registered } from '@io/registry';
import { prepareInfrastructure } from './infrastructure';
import { launchService, waitForHealth } from './launch';
import { removePid, runningSystem, writePid } from './pid-file';
import { CrashHistory } from './restart-policy';
import { stopProcess } from './stop-process';

/**
 * `npm start`: Kafka, topics and migrations, then every registered service, compiled (dist/), as a
 * process of its own. Once all are up, a service that exits is restarted after a backoff
 * (scripts/restart-policy.ts) while the others keep running; its restarts are counted and passed
 * to it (SUPERVISOR_RESTARTS, reported on its /health and recorded by the monitor). Ctrl-C or
 * SIGTERM, or a crash loop, stops them all (gateway first) and the broker if it was started here.
 * The supervisor runs compiled too (`node dist/scripts/start.js`, right after the build): on tsx it
 * was a second process and about 100 MB more of an idle system's memory. No container runs it.
 */

const log = (line: string) => console.log(`[start] ${line}`);

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function main() {
  let config: Config;
  const env = { ...process.env };
  try {
    config = loadConfig();
    // The hop secret is shared by every child; outside production, one is generated per start when
    // none is configured, so the subgraph ports are closed in development too.
    if (!config.SUBGRAPH_HOP_SECRET && config.NODE_ENV !== 'production')
      env.SUBGRAPH_HOP_SECRET = randomBytes(32).toString('base64url');
    else hopSecret(config);
    // Refuses here, before Kafka and migrations, what the gateway would refuse (production without auth, an open HOST).
    authMode(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[start] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  // A second start would find the ports taken, fail, and take the pid file with it, leaving the
  // first one running with nothing for `npm run stop` to find.
  const running = runningSystem();
  if (running) {
    console.error(`[start] the system is already running (process ${running}); \`npm run stop\` stops it`);
    process.exit(1);
  }
  writePid();
  const infrastructure = await prepareInfrastructure(config, log);
  const children = new Map<string, ChildProcess>();
  const restartTimers = new Set<NodeJS.Timeout>();
  let stopping = false;
  // Before every service is up, an exit stops everything: a service that cannot start is a problem to fix, not to retry.
  let supervising = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const timer of restartTimers) clearTimeout(timer);
    // Stages in reverse (gateways first, so no request reaches a stopped subgraph), each stage together.
    for (const stage of [...startStages].reverse()) {
      await Promise.all(
        stage.flatMap((service) => children.get(service.name) ?? []).map((child) => stopProcess(child, 10_000)),
      );
    }
    await infrastructure.stop();
    removePid();
    log('stopped');
    process.exit(code);
  };
  // `on`, not `once`: a terminal's Ctrl-C reaches npm and this process, and npm relays it too.
  // A second signal with no handler left would kill the supervisor halfway, orphaning the services.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // The children have process groups of their own: a closed terminal must stop them through here too.
  process.on('SIGHUP', () => void stopAll(0));

  const crashes = new Map(startOrder.map((service) => [service.name, new CrashHistory()]));
  const restarts = new Map<string, number>(startOrder.map((service) => [service.name, 0]));

  const restartLater = (service: Registered, reason: string) => {
    const verdict = crashes.get(service.name)!.crashed(Date.now());
    if (!verdict.restart) {
      log(
        `${service.name} ${reason}: ${verdict.recentCrashes} crashes within a minute, a crash loop; stopping everything`,
      );
      void stopAll(1);
      return;
    }
    const count = restarts.get(service.name)! + 1;
    restarts.set(service.name, count);
    log(`${service.name} ${reason}; restart ${count} in ${verdict.delayMs} ms (the other services keep running)`);
    const timer = setTimeout(() => {
      restartTimers.delete(timer);
      if (!stopping)
        void launch(service).catch((error: Error) => log(`${service.name} restart ${count}: ${error.message}`));
    }, verdict.delayMs);
    restartTimers.add(timer);
  };

  const launch = async (service: Registered) => {
    // Each service reaches Kafka as its own user (the embedded broker's ACLs are per service).
    const child = launchService(service, {
      ...env,
      ...infrastructure.kafkaEnv(service.name),
      SUPERVISOR_RESTARTS: String(restarts.get(service.name)),
    });
    children.set(service.name, child);
    prefixLines(service.name, child.stdout!, process.stdout);
    prefixLines(service.name, child.stderr!, process.stderr);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      if (!supervising) {
        log(`${service.name} exited (${signal ?? code}) while the system started; stopping everything`);
        void stopAll(1);
        return;
      }
      restartLater(service, `exited (${signal ?? code})`);
    });
    const local = `http://127.0.0.1:${servicePort(config, service.name)}`;
    try {
      await waitForHealth(`${local}${service.healthPath}`, child);
    } catch (error) {
      // A restarted process that never becomes healthy is killed; its exit counts as a crash.
      if (supervising && child.exitCode === null) child.kill('SIGKILL');
      throw error;
    }
    log(`${service.name} (pid ${child.pid}) ready on ${local}/graphql`);
  };
  try {
    for (const stage of startStages) await Promise.all(stage.map(launch));
  } catch (error) {
    log(`failed to start: ${(error as Error).message}`);
    await stopAll(1);
    return;
  }
  supervising = true;
  log(
    `all services up. GraphQL API and Apollo Sandbox: http://127.0.0.1:${config.GATEWAY_PORT}/graphql (Ctrl-C stops)`,
  );
}

main().catch((error) => {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
});
