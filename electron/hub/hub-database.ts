import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { OutpostError } from '../../shared/errors';
import { byteaCodec } from '../notebook/bytea-codec';

/** The few things the hub asks of its database, whether a PostgreSQL server or the embedded PGlite. */
export interface HubSql {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
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
      query: async <T>(sql: string, params?: unknown[]) => {
        const result = await pool.query(sql, params as unknown[]);
        return { rows: result.rows as T[] };
      },
      close: () => pool.end(),
    };
  }
  const db = await PGlite.create(target.dataDir, byteaCodec);
  return {
    query: <T>(sql: string, params?: unknown[]) => db.query<T>(sql, params),
    close: () => db.close(),
  };
}
