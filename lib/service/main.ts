import { ConfigError, loadConfig, type Config } from '@io/config';
import { createLogger, type Logger } from '@io/logger';
import { stopTracing } from '@io/telemetry/tracing';

/** A service process: validated config, start, close everything on SIGTERM/SIGINT. */
export function runMain(
  name: string,
  start: (config: Config, logger: Logger) => Promise<{ close: () => Promise<void> }>,
): void {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  start(config, logger).then(
    (running) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        running
          .close()
          // The spans of the last requests and events are still buffered: export them before exiting.
          .then(() => stopTracing())
          .then(
            () => process.exit(0),
            (error) => {
              logger.error({ err: error }, 'shutdown failed');
              process.exit(1);
            },
          );
      };
      // `on`, not `once`: Ctrl-C and the supervisor may both signal; a second signal must not kill
      // the process before its consumer has left its group and its outbox relay has stopped.
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (error) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
