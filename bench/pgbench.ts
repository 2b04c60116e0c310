import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dropDatabase, recreateDatabase, withClient } from './database';

const run = promisify(execFile);
const pgbenchPath = process.env.PGBENCH ?? '/usr/bin/pgbench';

/**
 * The saga's hot-row step stripped to SQL: take one unit of one of 100 products if there is stock,
 * and record a movement, in one transaction.
 */
const hotRowScript = `\\set id random(1, 100)
BEGIN;
UPDATE bench_stock SET quantity = quantity - 1 WHERE id = :id AND quantity >= 1;
INSERT INTO bench_movement (product_id, quantity_change) VALUES (:id, -1);
END;
`;

export type PgbenchResult = { tps: number; clients: number; seconds: number } | { skipped: string };

/** Parses pgbench's "tps = 1234.5 (without initial connection time)" line. */
export function parseTps(output: string): number | undefined {
  const match = /tps = ([\d.]+) \(without initial connection time\)/.exec(output) ?? /tps = ([\d.]+)/.exec(output);
  return match ? Number(match[1]) : undefined;
}

/** Runs the hot-row script on a scratch database of its own, dropped afterwards. */
export async function runPgbench(
  adminUrl: string,
  database: string,
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  if (!existsSync(pgbenchPath)) return { skipped: `${pgbenchPath} not found` };
  await recreateDatabase(adminUrl, database);
  const scriptDir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    await withClient(url.toString(), async (client) => {
      await client.query('CREATE TABLE bench_stock (id int PRIMARY KEY, quantity int NOT NULL CHECK (quantity >= 0))');
      await client.query(
        'CREATE TABLE bench_movement (id bigserial PRIMARY KEY, product_id int NOT NULL REFERENCES bench_stock, quantity_change int NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
      );
      await client.query('INSERT INTO bench_stock SELECT g, 1000000000 FROM generate_series(1, 100) g');
    });
    const script = join(scriptDir, 'hot-row.sql');
    writeFileSync(script, hotRowScript);
    const { stdout } = await run(
      pgbenchPath,
      [
        '-n',
        '-f',
        script,
        '-c',
        String(clients),
        '-j',
        String(Math.min(clients, 2)),
        '-T',
        String(seconds),
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        decodeURIComponent(url.username || 'postgres'),
        database,
      ],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } },
    );
    const tps = parseTps(stdout);
    if (tps === undefined) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { tps, clients, seconds };
  } finally {
    rmSync(scriptDir, { recursive: true, force: true });
    await dropDatabase(adminUrl, database);
  }
}
