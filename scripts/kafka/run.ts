import { loadConfig } from '@io/config';
import { startLocalKafka } from './local-broker';

/** `npm run kafka`: only the embedded broker (KAFKA_BROKERS_LOCAL nodes), in the foreground, until Ctrl-C. */
async function main() {
  const config = loadConfig();
  const broker = await startLocalKafka({
    port: config.KAFKA_PORT,
    controllerPort: config.KAFKA_CONTROLLER_PORT,
    nodes: config.KAFKA_BROKERS_LOCAL,
  });
  if (!broker.startedHere) return;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void broker.stop().then(() => process.exit(0));
  };
  // The broker has a process group of its own: every signal that reaches this process (Ctrl-C
  // reaches npm and tsx too, and tsx relays it) must end in stopping it, never in an orphan.
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
