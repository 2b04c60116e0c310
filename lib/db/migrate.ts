import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Applies Prisma-format migrations (`<dir>/<name>/migration.sql`) and keeps Prisma's own
 * `_prisma_migrations` bookkeeping, so `prisma migrate deploy` takes over unchanged wherever
 * Prisma's schema engine can be installed (it cannot be downloaded on this project's machines).
 */

/** The advisory lock key `prisma migrate` itself takes, so this applier and Prisma exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

export interface MigrationTarget {
  databaseUrl: string;
  dbSchema: string;
  migrationsDir: string;
  log?: (line: string) => void;
}

export class MigrationError extends Error {}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export function listMigrations(migrationsDir: string): { name: string; sql: string; checksum: string }[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Returns the names of the migrations it applied (empty when the schema was up to date). */
export async function applyMigrations(target: MigrationTarget): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(target.dbSchema)) throw new MigrationError(`invalid schema name ${target.dbSchema}`);
  const log = target.log ?? (() => undefined);
  const client = new Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.dbSchema}"`);
    await client.query(`SET search_path TO "${target.dbSchema}"`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map(rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]));

    const appliedNow: string[] = [];
    for (const migration of listMigrations(target.migrationsDir)) {
      const previous = applied.get(migration.name);
      if (previous?.finished_at === null) {
        throw new MigrationError(
          `${target.dbSchema}: migration ${migration.name} started but never finished; resolve it by hand`,
        );
      }
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(`${target.dbSchema}: migration ${migration.name} was modified after it was applied`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new MigrationError(`${target.dbSchema}: migration ${migration.name} failed: ${(error as Error).message}`);
      }
      log(`${target.dbSchema}: applied ${migration.name}`);
      appliedNow.push(migration.name);
    }
    return appliedNow;
  } finally {
    // Ending the session releases the advisory lock too, even if an error skipped this line.
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}
