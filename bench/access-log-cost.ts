import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import pino from 'pino';
import { ServiceMetrics } from '@io/metrics/metrics';
import { graphqlMetrics } from '@io/metrics/graphql-plugin';
import { accessLog } from '@io/service/access-log';

/**
 * CPU of what metrics and access logs add to one request, without the rest of the request:
 * the access middleware (one pino line to a file, the histogram) and the GraphQL plugin's
 * willSendResponse (histogram, error codes). `npx tsx bench/access-log-cost.ts`.
 */
const logger = pino({ name: 'cost' }, pino.destination({ dest: '/dev/null', sync: true }));
const metrics = new ServiceMetrics();
const middleware = accessLog(logger, metrics);
const graphql = graphqlMetrics(metrics);
const hooks = graphql.plugin.requestDidStart!;

async function oneRequest(): Promise<void> {
  const response = Object.assign(new EventEmitter(), { locals: {}, statusCode: 200, writableFinished: true });
  const request = { method: 'POST', path: '/graphql' };
  middleware(request as Request, response as unknown as Response, () => undefined);
  const context = graphql.link({}, response as unknown as Response);
  // The plugin reads only these fields of Apollo's request context.
  const listener = (await hooks({} as Parameters<typeof hooks>[0]))!;
  const sent = {
    operation: { operation: 'mutation' },
    operationName: 'PlaceOrder',
    response: { body: { kind: 'single', singleResult: { data: {} } } },
    contextValue: context,
  };
  await listener.willSendResponse!(sent as unknown as Parameters<NonNullable<typeof listener.willSendResponse>>[0]);
  response.emit('finish');
  response.emit('close');
}

async function main(): Promise<void> {
  for (let i = 0; i < 20_000; i += 1) await oneRequest(); // warm-up
  const requests = 200_000;
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i += 1) await oneRequest();
  const used = process.cpuUsage(before);
  console.log(`${(((used.user + used.system) / requests) * 1).toFixed(2)} µs CPU per request (access line + metrics)`);
}

void main();
