import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '@io/db/database';
import { migrateAll } from '@io/db/migrate-all';

/** A throwaway database on the configured server: never the development data. */
export async function createTestDatabase(migrate = true): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  server.pathname = `/io_test_${randomBytes(6).toString('hex')}`;
  const url = server.toString();
  if (migrate) await migrateAll(url);
  else await ensureDatabase(url);
  return { url, drop: () => dropDatabase(url) };
}
