import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { httpProbe, kafkaProbe, postgresProbe } from '../src/health/probes';
import { healthServers } from '../../../test/support/health-server';

const { serve, close } = healthServers();

test('a 200 answer is HEALTHY', async () => {
  const url = await serve((_request, response) => response.end('{"status":"healthy"}'));
  expect(await httpProbe(url)(1000)).toEqual({ status: 'HEALTHY', error: null, restarts: null });
});

test("a health answer's restarts (npm start's supervisor restarted the service) are kept with the probe", async () => {
  const url = await serve((_request, response) => response.end('{"status":"healthy","restarts":3}'));
  expect(await httpProbe(url)(1000)).toEqual({ status: 'HEALTHY', error: null, restarts: 3 });
});

test("any other answer, such as the gateway's 503 when a subgraph is down, is UNHEALTHY with the answer as error", async () => {
  const url = await serve((_request, response) => {
    response.statusCode = 503;
    response.end('{"status":"degraded"}');
  });
  expect(await httpProbe(url)(1000)).toEqual({
    status: 'UNHEALTHY',
    error: 'HTTP 503: {"status":"degraded"}',
    restarts: null,
  });
});

test('a refused connection is DOWN', async () => {
  const url = await serve((_request, response) => response.end());
  await close(url);
  expect(await httpProbe(url)(1000)).toEqual({ status: 'DOWN', error: 'ECONNREFUSED' });
});

test('no answer within the timeout is DOWN', async () => {
  const url = await serve(() => undefined);
  const started = Date.now();
  expect(await httpProbe(url)(200)).toEqual({ status: 'DOWN', error: 'no answer within 200 ms' });
  expect(Date.now() - started).toBeLessThan(1000);
});

test('Kafka is HEALTHY when the cluster describes itself, DOWN when it does not answer in time', async () => {
  const answering = {
    describeCluster: async () => ({ brokers: [{ nodeId: 1, host: 'h', port: 9092 }], controller: 1, clusterId: 'c' }),
  };
  expect(await kafkaProbe(answering as unknown as Admin)(200)).toEqual({ status: 'HEALTHY', error: null });
  const silent = { describeCluster: () => new Promise(() => undefined) };
  expect(await kafkaProbe(silent as unknown as Admin)(100)).toEqual({
    status: 'DOWN',
    error: 'no answer within 100 ms',
  });
});

test('PostgreSQL answering with an SQL error is UNHEALTHY; no connection is DOWN', async () => {
  const failing = (error: Error) =>
    ({
      query: async () => {
        throw error;
      },
    }) as unknown as Pool;
  const sqlError = Object.assign(new Error('too many connections'), { code: '53300' });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
  expect(await postgresProbe(failing(sqlError))(100)).toEqual({ status: 'UNHEALTHY', error: 'too many connections' });
  expect(await postgresProbe(failing(refused))(100)).toEqual({
    status: 'DOWN',
    error: 'connect ECONNREFUSED 127.0.0.1:5432',
  });
});
