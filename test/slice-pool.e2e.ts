import { Client, type Pool } from 'pg';
import { createSlicePool } from '@io/db/slice';
import { createTestDatabase } from './support/test-database';
import { waitFor } from './support/wait-for';

/**
 * A service's pool outlives connections the server drops: PostgreSQL restarting, an operator's
 * pg_terminate_backend, a test database dropped WITH (FORCE). Without the pool's 'error' listener the
 * dropped idle connection's error was unhandled and ended the process (a CI run lost a test file to it).
 */
let database: { url: string; drop: () => Promise<void> };
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase(false);
  pool = createSlicePool(database.url, 'public', { max: 3 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

test('connections idle in the pool that the server terminates are replaced; the next query succeeds', async () => {
  await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
  expect(pool.idleCount).toBe(3);

  const admin = new Client({ connectionString: database.url });
  await admin.connect();
  const { rowCount } = await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await admin.end();
  expect(rowCount).toBe(3);

  await waitFor(() => pool.totalCount === 0, 5000, 'the pool to discard the terminated connections');
  const { rows } = await pool.query<{ answer: number }>('SELECT 42 AS answer');
  expect(rows).toEqual([{ answer: 42 }]);
});
