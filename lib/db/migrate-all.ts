import { fromProjectRoot } from '@io/project-root';
import { ensureDatabase, slices } from './database';
import { applyMigrations } from './migrate';

export function migrationsDir(slice: string): string {
  return fromProjectRoot('prisma', slice, 'migrations');
}

/** Creates the database if missing and brings every slice's schema up to date. */
export async function migrateAll(databaseUrl: string, log: (line: string) => void = () => undefined): Promise<void> {
  if (await ensureDatabase(databaseUrl)) log(`database: created ${new URL(databaseUrl).pathname.slice(1)}`);
  for (const slice of slices) {
    await applyMigrations({ databaseUrl, dbSchema: slice, migrationsDir: migrationsDir(slice), log });
  }
}
