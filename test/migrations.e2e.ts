import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { listMigrations, applyMigrations, MigrationError } from '@io/db/migrate';
import { migrationsDir } from '@io/db/migrate-all';
import { createTestDatabase } from './support/test-database';

let database: { url: string; drop: () => Promise<void> };

beforeEach(async () => {
  database = await createTestDatabase(false);
});

afterEach(async () => {
  await database.drop();
});

async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function copyOfInventoryMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  cpSync(migrationsDir('inventory'), dir, { recursive: true });
  return dir;
}

test('applying records each migration in _prisma_migrations exactly as prisma migrate does', async () => {
  const applied = await applyMigrations({
    databaseUrl: database.url,
    dbSchema: 'inventory',
    migrationsDir: migrationsDir('inventory'),
  });

  const expected = listMigrations(migrationsDir('inventory'));
  expect(applied).toEqual(expected.map((migration) => migration.name));
  const rows = await query(
    'SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AS finished, rolled_back_at, logs FROM inventory._prisma_migrations ORDER BY migration_name',
  );
  expect(rows).toEqual(
    expected.map((migration) => ({
      migration_name: migration.name,
      checksum: migration.checksum,
      applied_steps_count: 1,
      finished: true,
      rolled_back_at: null,
      logs: null,
    })),
  );
  const tables = await query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'inventory' ORDER BY table_name`,
  );
  expect(tables.map((row) => row.table_name)).toEqual([
    '_prisma_migrations',
    'idempotency_keys',
    'order_stock_effects',
    'outbox_events',
    'processed_events',
    'products',
    'stock_movements',
  ]);
});

test('applying again changes nothing', async () => {
  const target = { databaseUrl: database.url, dbSchema: 'inventory', migrationsDir: migrationsDir('inventory') };
  await applyMigrations(target);

  expect(await applyMigrations(target)).toEqual([]);
  expect(await query('SELECT count(*)::int AS n FROM inventory._prisma_migrations')).toEqual([
    { n: listMigrations(target.migrationsDir).length },
  ]);
});

test('two starts racing on an empty database apply each migration once', async () => {
  const target = { databaseUrl: database.url, dbSchema: 'inventory', migrationsDir: migrationsDir('inventory') };

  const [first, second] = await Promise.all([applyMigrations(target), applyMigrations(target)]);

  const names = listMigrations(target.migrationsDir).map((migration) => migration.name);
  expect([...first, ...second].sort()).toEqual(names);
  expect(await query('SELECT count(*)::int AS n FROM inventory._prisma_migrations')).toEqual([{ n: names.length }]);
});

test('a migration edited after it was applied is refused', async () => {
  const dir = copyOfInventoryMigrations();
  const [migration] = listMigrations(dir);
  await applyMigrations({ databaseUrl: database.url, dbSchema: 'inventory', migrationsDir: dir });
  writeFileSync(join(dir, migration.name, 'migration.sql'), `${migration.sql}\n-- edited\n`);

  await expect(
    applyMigrations({ databaseUrl: database.url, dbSchema: 'inventory', migrationsDir: dir }),
  ).rejects.toThrow(new MigrationError(`inventory: migration ${migration.name} was modified after it was applied`));
});

test('a failing migration leaves neither its changes nor a bookkeeping row, and later ones do not run', async () => {
  const dir = copyOfInventoryMigrations();
  cpSync(join(dir, listMigrations(dir)[0].name), join(dir, '29990101000000_broken'), { recursive: true });
  writeFileSync(
    join(dir, '29990101000000_broken', 'migration.sql'),
    'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
  );
  cpSync(join(dir, '29990101000000_broken'), join(dir, '29990102000000_after'), { recursive: true });
  writeFileSync(join(dir, '29990102000000_after', 'migration.sql'), 'CREATE TABLE after_broken (id int);');

  await expect(
    applyMigrations({ databaseUrl: database.url, dbSchema: 'inventory', migrationsDir: dir }),
  ).rejects.toThrow(/29990101000000_broken failed/);

  const tables = await query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'inventory' AND table_name IN ('half_done', 'after_broken')`,
  );
  expect(tables).toEqual([]);
  // Every migration before the broken one, and nothing after it.
  expect(await query('SELECT migration_name FROM inventory._prisma_migrations ORDER BY migration_name')).toEqual(
    listMigrations(dir)
      .filter((migration) => migration.name < '29990101000000_broken')
      .map((migration) => ({ migration_name: migration.name })),
  );
});
