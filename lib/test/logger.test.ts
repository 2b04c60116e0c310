import { Writable } from 'node:stream';
import { createLogger } from '@io/logger';

test('tokens, secrets and passwords never reach the log, however deep they sit in what is logged', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('test', 'info', sink);
  logger.info(
    {
      req: { headers: { authorization: 'Bearer eyJhbGciOi.secret-jwt', host: 'x' } },
      connectionParams: { token: 'eyJhbGciOi.ws-jwt' },
      kafka: { sasl: { password: 'scram-password' } },
      hop: { secret: 'hop-secret' },
      token: 'bare-token',
    },
    'request',
  );
  const [line] = lines;
  expect(line).not.toMatch(/secret-jwt|ws-jwt|scram-password|hop-secret|bare-token/);
  expect(JSON.parse(line)).toMatchObject({
    req: { headers: { authorization: '[redacted]', host: 'x' } },
    token: '[redacted]',
  });
});
