import { httpGet, HttpTimeoutError } from '@io/service/http-get';
import { healthServers } from '../../test/support/health-server';

const { serve, close } = healthServers();

test('an answer gives its status, whether it is 2xx, and its body', async () => {
  const url = await serve((_request, response) => response.end('{"status":"ok"}'));
  expect(await httpGet(url, 1000)).toEqual({ status: 200, ok: true, body: '{"status":"ok"}' });
  const failing = await serve((_request, response) => {
    response.statusCode = 503;
    response.end('down');
  });
  expect(await httpGet(failing, 1000)).toEqual({ status: 503, ok: false, body: 'down' });
});

test('a body far larger than a health answer is cut at 64 KiB', async () => {
  const url = await serve((_request, response) => response.end('x'.repeat(1024 * 1024)));
  expect((await httpGet(url, 5000)).body).toHaveLength(64 * 1024);
});

test('no complete answer in time rejects with a timeout, also when the headers came', async () => {
  const silent = await serve(() => undefined);
  await expect(httpGet(silent, 100)).rejects.toBeInstanceOf(HttpTimeoutError);
  const stalled = await serve((_request, response) => response.write('partial'));
  await expect(httpGet(stalled, 100)).rejects.toThrow(new HttpTimeoutError('no answer within 100 ms'));
});

test('a refused connection rejects with the socket error', async () => {
  const url = await serve((_request, response) => response.end());
  await close(url);
  await expect(httpGet(url, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});
