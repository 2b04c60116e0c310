import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { authMode, hopSecret } from '@io/auth/mode';
import { ConfigError, loadConfig, servicePort, type Config } from '@io/config';
import { startStages, type Registered } from '@io/registry';
import { prepareInfrastructure } from './infrastructure';
import { launchService, waitForHealth } from './launch';
import { removePid, writePid } from './pid-file';
import { stopProcess } from './stop-process';

/**
 * `npm start`: Kafka, topics and migrations, then every registered service, compiled (dist/), as a
 * process of its own. Ctrl-C or SIGTERM stops them all (gateway first) and the broker if it was
 * started here. This supervisor itself runs on tsx: it is a development tool that `npm start` runs
 * right after the build, and no container runs it.
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
  writePid();
  const infrastructure = await prepareInfrastructure(config, log);
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
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
  // `on`, not `once`: a terminal's Ctrl-C reaches npm, tsx and this process, and tsx relays it too.
  // A second signal with no handler left would kill the supervisor halfway, orphaning the services.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // The children have process groups of their own: a closed terminal must stop them through here too.
  process.on('SIGHUP', () => void stopAll(0));

  const launch = async (service: Registered) => {
    // Each service reaches Kafka as its own user (the embedded broker's ACLs are per service).
    const child = launchService(service, { ...env, ...infrastructure.kafkaEnv(service.name) });
    children.set(service.name, child);
    prefixLines(service.name, child.stdout!, process.stdout);
    prefixLines(service.name, child.stderr!, process.stderr);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      log(`${service.name} exited (${signal ?? code}); stopping everything`);
      void stopAll(1);
    });
    const local = `http://127.0.0.1:${servicePort(config, service.name)}`;
    await waitForHealth(`${local}${service.healthPath}`, child);
    log(`${service.name} ready on ${local}/graphql`);
  };
  try {
    for (const stage of startStages) await Promise.all(stage.map(launch));
  } catch (error) {
    log(`failed to start: ${(error as Error).message}`);
    await stopAll(1);
    return;
  }
  log(
    `all services up. GraphQL API and Apollo Sandbox: http://127.0.0.1:${config.GATEWAY_PORT}/graphql (Ctrl-C stops)`,
  );
}

main().catch((error) => {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
});
