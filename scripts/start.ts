import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../lib/config';
import { prepareInfrastructure } from './infrastructure';
import { removePid, writePid } from './pid-file';
import { stopProcess } from './stop-process';

/**
 * `npm start`: Kafka, topics and migrations, then the three subgraphs and the gateway as separate
 * processes. Ctrl-C or SIGTERM stops them all (gateway first) and the broker if it was started here.
 */
const root = resolve(__dirname, '..');
const services = [
  { name: 'inventory', entry: 'subgraphs/inventory/src/index.ts', port: (config: Config) => config.INVENTORY_PORT },
  { name: 'orders', entry: 'subgraphs/orders/src/index.ts', port: (config: Config) => config.ORDERS_PORT },
  { name: 'monitor', entry: 'subgraphs/monitor/src/index.ts', port: (config: Config) => config.MONITOR_PORT },
  { name: 'gateway', entry: 'gateway/src/index.ts', port: (config: Config) => config.GATEWAY_PORT },
];

const log = (line: string) => console.log(`[start] ${line}`);

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream) {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (buffered + chunk.toString()).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms`);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`[start] ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  writePid();
  const broker = await prepareInfrastructure(config, log);
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    for (const child of [...children].reverse()) await stopProcess(child, 10_000);
    await broker.stop();
    removePid();
    log('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  try {
    for (const service of services) {
      const child = spawn(process.execPath, ['--import', 'tsx', service.entry], {
        cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      prefixLines(service.name, child.stdout!, process.stdout);
      prefixLines(service.name, child.stderr!, process.stderr);
      child.once('exit', (code, signal) => {
        if (stopping) return;
        log(`${service.name} exited (${signal ?? code}); stopping everything`);
        void stopAll(1);
      });
      await waitForHealth(`http://127.0.0.1:${service.port(config)}/health`, child);
      log(`${service.name} ready on http://127.0.0.1:${service.port(config)}/graphql`);
    }
  } catch (error) {
    log(`failed to start: ${(error as Error).message}`);
    await stopAll(1);
    return;
  }
  log(`all services up. GraphQL API and Apollo Sandbox: http://127.0.0.1:${config.GATEWAY_PORT}/graphql (Ctrl-C stops)`);
}

main().catch((error) => {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
});
