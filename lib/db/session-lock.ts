import type { Pool, PoolClient } from 'pg';

/**
 * Leadership among replicas: a session-level advisory lock held on a connection of its own. Only
 * the holder does the work; when its process or connection dies, PostgreSQL ends the session and
 * frees the lock, and the next replica that asks becomes the holder.
 */
export class SessionLock {
  private client?: PoolClient;
  private held = false;

  constructor(
    private readonly pool: Pool,
    private readonly name: string,
  ) {}

  /** True when this process holds the lock (taking it if it is free). */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    if (!this.client) {
      const client = await this.pool.connect();
      // A broken connection has lost the lock with its session: forget both and ask again next time.
      client.on('error', () => this.forget(client));
      this.client = client;
    }
    const {
      rows: [{ locked }],
    } = await this.client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
      this.name,
    ]);
    this.held = locked;
    return locked;
  }

  async release(): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (this.held) await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.name]);
    this.forget(client);
    client.release();
  }

  private forget(client: PoolClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.held = false;
  }
}
