import { loadConfig, servicePort } from '@io/config';
import { readyPath } from '@io/service/health-routes';
import { httpGet } from '@io/service/http-get';
import { containerService } from './container-service';

/**
 * A container's HEALTHCHECK: exit 0 when the service named by SERVICE is ready (its /health/ready
 * answers 200 locally: its database and Kafka answer; for the gateway, every subgraph is ready too),
 * so `depends_on: condition: service_healthy` waits for a service that can serve.
 */
async function main(): Promise<number> {
  const service = containerService();
  const url = `http://127.0.0.1:${servicePort(loadConfig(), service.name)}${readyPath}`;
  const { ok, status } = await httpGet(url, 3000);
  if (ok) return 0;
  console.error(`healthcheck: ${url} answered ${status}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`healthcheck: ${(error as Error).message}`);
    process.exit(1);
  },
);
