import { fromProjectRoot } from '@io/project-root';
import { compiledPath } from '@io/registry';
import { containerService } from './container-service';

/** A container's command: runs the compiled entry of the service named by SERVICE, in this process. */
let entry: string;
try {
  const service = containerService();
  entry = fromProjectRoot(compiledPath(service.entry));
  // Its traces carry the service's name unless the container names it otherwise.
  process.env.OTEL_SERVICE_NAME ??= service.name;
} catch (error) {
  console.error(`serve: ${(error as Error).message}`);
  process.exit(1);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry is named by the registry
require(entry);
