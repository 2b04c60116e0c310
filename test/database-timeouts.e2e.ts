import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSlicePool } from '@io/db/slice';
import { classifyFailure } from '@io/kafka/failure';
import { createTestDatabase } from './support/test-database';

/**
 * A service's database calls are bounded (DATABASE_STATEMENT_TIMEOUT_MS): a statement that runs
 * too long is cancelled, a server that does not answer is given up, and either is a transient
 * failure, which the consumers retry instead of dead-lettering the event.
 */
let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase(false);
});

afterAll(async () => {
  await database.drop();
});

test('a statement that runs past the timeout is cancelled by PostgreSQL, as a transient failure', async () => {
  const pool = createSlicePool(database.url, 'public', { statementTimeoutMs: 300 });
  try {
    const failure = await pool.query('SELECT pg_sleep(5)').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: '57014' });
    expect(classifyFailure(failure)).toBe('transient');
    // The pool still serves the next statement.
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await pool.end();
  }
});

test('a server that accepts connections but never answers is given up within the timeout, as a transient failure', async () => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `postgresql://postgres@127.0.0.1:${(silent.address() as AddressInfo).port}/nothing`;
  const pool = createSlicePool(url, 'public', { statementTimeoutMs: 500 });
  try {
    const started = performance.now();
    const failure = await pool.query('SELECT 1').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(classifyFailure(failure)).toBe('transient');
    expect(performance.now() - started).toBeLessThan(10_000);
  } finally {
    await pool.end();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
