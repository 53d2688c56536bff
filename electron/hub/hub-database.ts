import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { OutpostError } from '../../shared/errors';
import { byteaCodec } from '../notebook/bytea-codec';

/** The few things the hub asks of its database, whether a PostgreSQL server or the embedded PGlite. */
export interface HubQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface HubSql extends HubQueryable {
  /** Runs `work` in one transaction on one connection: all of it commits, or none. */
  transaction<T>(work: (tx: HubQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * `--database postgres://…` connects to a PostgreSQL server (several hub instances share it);
 * without it the hub keeps its documents in a PGlite folder, so one command starts a working hub.
 */
export async function openHubSql(target: { databaseUrl?: string; dataDir: string }): Promise<HubSql> {
  if (target.databaseUrl) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: 8 });
    // A server that restarts drops idle clients: the pool replaces them; the hub must not crash.
    pool.on('error', () => {});
    try {
      await pool.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => {});
      throw new OutpostError('hub_database', `Cannot reach the hub's PostgreSQL database: ${(error as Error).message}`);
    }
    return {
      query: <T>(sql: string, params?: unknown[]) =>
        whileRestarting(async () => ({ rows: (await pool.query(sql, params as unknown[])).rows as T[] })),
      transaction: (work) =>
        whileRestarting(async () => {
          const client = await pool.connect();
          let broken: Error | undefined;
          try {
            await client.query('BEGIN');
            const result = await work({
              query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params as unknown[])).rows as T[] }),
            });
            await client.query('COMMIT');
            return result;
          } catch (error) {
            // A connection the server dropped (a restart) is discarded, not handed out again.
            await client.query('ROLLBACK').catch((rollback: Error) => {
              broken = rollback;
            });
            throw error;
          } finally {
            client.release(broken);
          }
        }),
      close: () => pool.end(),
    };
  }
  const db = await PGlite.create(target.dataDir, byteaCodec);
  // One process's embedded database: nothing restarts under it.
  return {
    query: <T>(sql: string, params?: unknown[]) => db.query<T>(sql, params),
    transaction: (work) => db.transaction((tx) => work({ query: <T>(sql: string, params?: unknown[]) => tx.query<T>(sql, params) })),
    close: () => db.close(),
  };
}

/** A server that is restarting refuses connections or ends them for a second or two. */
const RESTART_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08003', '08001']);
const RESTART_WAIT_MS = 10_000;

/**
 * Runs `work` again while PostgreSQL is restarting (up to 10 s): a document the hub could not
 * load or store then would otherwise fail its clients' sync instead of waiting a moment.
 */
async function whileRestarting<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + RESTART_WAIT_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return await work();
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      const ended = /Connection terminated|terminating connection/i.test((error as Error).message);
      if (!(RESTART_CODES.has(code) || ended) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
