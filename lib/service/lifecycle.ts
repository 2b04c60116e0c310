import type { Logger } from '@io/logger';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

/**
 * Owns a process's long-lived resources and closes them in reverse order of start-up,
 * once, on SIGTERM/SIGINT or when asked.
 */
export class Lifecycle {
  private readonly closers: Closer[] = [];
  private closing?: Promise<void>;

  constructor(private readonly logger: Logger) {}

  /** Registers a resource right after it started; returns it for chaining. */
  own<T>(name: string, resource: T, close: (resource: T) => Promise<unknown> | unknown): T {
    this.closers.push({ name, close: () => close(resource) });
    return resource;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const closer of [...this.closers].reverse()) {
        try {
          await closer.close();
        } catch (error) {
          this.logger.error({ err: error, resource: closer.name }, 'failed to close');
        }
      }
    })();
    return this.closing;
  }
}
