import { loadConfig } from '@io/config';
import { startLocalKafka } from './local-broker';

/** `npm run kafka`: only the embedded broker, in the foreground, until Ctrl-C. */
async function main() {
  const config = loadConfig();
  const broker = await startLocalKafka({ port: config.KAFKA_PORT, controllerPort: config.KAFKA_CONTROLLER_PORT });
  if (!broker.startedHere) return;
  const stop = () => void broker.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
