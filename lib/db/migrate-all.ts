import { join, resolve } from 'node:path';
import { ensureDatabase, slices } from './database';
import { applyMigrations } from './migrate';

const prismaDir = resolve(__dirname, '../../prisma');

export function migrationsDir(slice: string): string {
  return join(prismaDir, slice, 'migrations');
}

/** Creates the database if missing and brings every slice's schema up to date. */
export async function migrateAll(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  if (await ensureDatabase(databaseUrl)) log(`database: created ${new URL(databaseUrl).pathname.slice(1)}`);
  for (const slice of slices) {
    await applyMigrations({ databaseUrl, schema: slice, migrationsDir: migrationsDir(slice), log });
  }
}
