import { ConfigError, loadConfig, type Config } from '@io/config';
import { createLogger, type Logger } from '@io/logger';

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
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        running.close().then(
          () => process.exit(0),
          (error) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error) => {
      logger.fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
