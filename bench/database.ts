import { Client } from 'pg';

/** Runs `work` with a short-lived connection, closed whatever happens. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Drops (closing its sessions) and recreates a database this bench owns. */
export async function recreateDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`));
}

export interface DatabaseCounters {
  commits: number;
  inserted: number;
  updated: number;
}

/**
 * pg_stat_database's cumulative counters for one database, read over a connection to another
 * database (the admin one) so the reading itself is not counted. Backends report their counters
 * at most once a second while busy, so a sample lags the truth by about that much.
 */
export function readCounters(adminClient: Client, database: string): Promise<DatabaseCounters> {
  return adminClient
    .query('SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = $1', [database])
    .then(({ rows }) => {
      if (rows.length === 0) throw new Error(`pg_stat_database has no row for ${database}`);
      return {
        commits: Number(rows[0].xact_commit),
        inserted: Number(rows[0].tup_inserted),
        updated: Number(rows[0].tup_updated),
      };
    });
}

export function counterDelta(before: DatabaseCounters, after: DatabaseCounters): DatabaseCounters {
  return {
    commits: after.commits - before.commits,
    inserted: after.inserted - before.inserted,
    updated: after.updated - before.updated,
  };
}
