import { z } from 'zod';
import { subgraphNames } from '@io/registry';
import { roleScopes } from '@io/auth/identity';
import type { ExecuteGraphQL } from '../execute';
import { RestError } from './errors';
import { runOperation, type RestDocument } from './operation';
import { defineRoute, type Service } from './route';
import { count, dateTime, responseSchema } from './schemas';

const healthResponse = responseSchema(
  'Health',
  z.strictObject({
    status: z.literal('healthy'),
    service: z.enum(subgraphNames),
    response_time_ms: count.meta({ description: 'How long the probe took through the gateway.' }),
    checked_at: dateTime,
  }),
  'The service answered a query through the gateway, its database included.',
);

/**
 * A live probe through the gateway: the cheapest query the subgraph answers from its database.
 * Any failure is 503, whatever the cause, because that is what a load balancer acts on.
 */
export function healthRoute(service: Service, probe: RestDocument<unknown, Record<string, never>>) {
  const query = probe.toString().replace(/\s+/g, ' ').trim();
  return defineRoute({
    service,
    method: 'get',
    path: `/${service}/health`,
    operationId: `${service}Health`,
    summary: `Health check of the ${service} service`,
    description: `Runs \`${query}\` through the gateway. 200 when it answers; 503 otherwise.`,
    success: { status: 200, schema: healthResponse, description: `${service} answered` },
    // Open to anyone, as the subgraphs' own /health: the probe reads one count, and answers only health.
    probeAs: { subject: 'gateway-health-probe', scopes: roleScopes.viewer },
    handle: async (_input, execute) => {
      const started = Date.now();
      // A probe asks the subgraph now: an answer kept from before it went down would hide the outage.
      const live: ExecuteGraphQL = (query, variables) => execute(query, variables, { bypassResponseCache: true });
      await runOperation(live, probe, {}).catch((error: unknown) => {
        const reason = error instanceof RestError ? error.message : 'probe failed';
        throw new RestError(503, 'SERVICE_UNAVAILABLE', `${service} is not healthy: ${reason}`);
      });
      return {
        status: 'healthy' as const,
        service,
        response_time_ms: Date.now() - started,
        checked_at: new Date().toISOString(),
      };
    },
  });
}
