import { loadConfig } from '@io/config';
import { prepareInfrastructure } from './infrastructure';

/**
 * `npm run setup`: create the topics and apply the migrations, then exit (what `npm start` does
 * before it starts the services; docker-compose runs it once before the services start).
 * The embedded broker, if it had to be started for this, is stopped again.
 */
async function main() {
  const infrastructure = await prepareInfrastructure(loadConfig(), (line) => console.log(`[setup] ${line}`));
  await infrastructure.stop();
}

main().catch((error) => {
  console.error(`[setup] ${(error as Error).message}`);
  process.exit(1);
});
