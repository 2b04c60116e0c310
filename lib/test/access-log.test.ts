import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express, { type RequestHandler } from 'express';
import { createLogger } from '@io/logger';
import { ServiceMetrics } from '@io/metrics/metrics';
import { accessLog, accessRecord } from '@io/service/access-log';
import { graphqlBodyErrorHandler } from '@io/service/body-errors';
import { mountHealthProbes } from '@io/service/health-routes';

let lines: Record<string, unknown>[];
let server: Server;
let base: string;
const metrics = new ServiceMetrics();

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger('access-test', 'debug', sink);
  const app = express();
  app.use(accessLog(logger, metrics));
  mountHealthProbes(app, 'access-test', {
    database: async () => undefined,
    broker: () => new Promise(() => undefined), // never answers: the probe's timeout decides
    cache: () => Promise.reject(new Error('cache refused\n    at somewhere (file.ts:1:1)')),
  });
  app.get('/items/:id', (request, response) => {
    accessRecord(response).route = '/items/{id}';
    response.json({ id: request.params.id });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1kb' }),
    ((_request, response) => {
      response.json({ data: {} });
    }) satisfies RequestHandler,
    graphqlBodyErrorHandler(logger, '1kb'),
  );
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  lines = [];
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** The access lines only (a pino line per request, written once the response is sent). */
const accessLines = () => waitForLines().then(() => lines);
const waitForLines = async () => {
  for (let tries = 0; tries < 100 && lines.length === 0; tries += 1) await new Promise((wake) => setTimeout(wake, 10));
};

test('one info line per request: method, route pattern, path, status, duration', async () => {
  expect((await fetch(`${base}/items/42?secret=x`)).status).toBe(200);
  const [line, ...more] = await accessLines();
  expect(more).toEqual([]);
  expect(line).toMatchObject({
    level: 30,
    msg: 'request',
    method: 'GET',
    route: '/items/{id}',
    path: '/items/42',
    status: 200,
  });
  expect(typeof line.durationMs).toBe('number');
  expect(JSON.stringify(line)).not.toContain('secret');
});

test.each([
  ['malformed JSON', () => post('{"query": '), 400, 'MALFORMED_JSON'],
  ['an oversized body', () => post(JSON.stringify({ query: 'x'.repeat(5000) })), 413, 'PAYLOAD_TOO_LARGE'],
  ['bad gzip', () => post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, 'MALFORMED_BODY'],
  [
    'an unsupported encoding',
    () => post(gzipSync('{}'), { 'content-encoding': 'br-not-really' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
])('%s is one structured warn line, no stack trace', async (_what, send, status, code) => {
  const response = await send();
  expect(response.status).toBe(status);
  expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
    code,
  );
  const all = await accessLines();
  expect(all).toHaveLength(1);
  const [line] = all;
  expect(line).toMatchObject({ level: 40, msg: 'bad request', method: 'POST', route: '/graphql', status, code });
  expect(typeof line.reason).toBe('string');
  expect(line.err).toBeUndefined();
  expect(JSON.stringify(line)).not.toMatch(/\bat \S+ \(|stack/);
});

test('readiness names each failed dependency, a hung one after its timeout, in one line, and liveness stays up', async () => {
  const ready = await fetch(`${base}/health/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toEqual({
    status: 'not ready',
    service: 'access-test',
    checks: { database: 'ok', broker: 'failed: no answer within 2000 ms', cache: 'failed: cache refused' },
  });
  expect((await fetch(`${base}/health/live`)).status).toBe(200);
  // Probes are polled every few seconds: their access lines are debug, even a 503.
  expect((await accessLines()).map((line) => line.level)).toEqual([20, 20]);
});

test('requests are counted by method, route and status', async () => {
  const before = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
  await fetch(`${base}/items/7`);
  await accessLines();
  const after = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
  const count = (text: string) =>
    Number(
      /http_request_duration_seconds_count\{method="GET",route="\/items\/\{id\}",status="200"\} (\d+)/.exec(
        text,
      )?.[1] ?? 0,
    );
  expect(count(after) - count(before)).toBe(1);
});
