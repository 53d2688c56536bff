import { PGlite } from '@electric-sql/pglite';
import { OutpostError } from '../../shared/errors';
import { byteaCodec } from './bytea-codec';
import { refreshStatistics } from './maintenance';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';

export type Database = PGlite;

export interface OpenDatabaseOptions {
  /** A `dumpDataDir()` tarball to start a new database from (tests: skips the slow initdb). */
  template?: Blob;
}

/** Opens (or creates) the notebook's PGlite database in `dataDir` and brings its schema up to date. */
export async function openDatabase(dataDir: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const db = await PGlite.create(dataDir, {
    ...byteaCodec,
    ...(options.template ? { loadDataDir: options.template } : {}),
  });
  try {
    const before = await schemaVersion(db);
    await migrate(db);
    // Migrations can rewrite whole tables: leave them compact and with fresh planner statistics.
    if (before > 0 && before < SCHEMA_VERSION) await refreshStatistics(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

export async function schemaVersion(db: Database): Promise<number> {
  const exists = await db.query<{ present: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return 0;
  const result = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return result.rows[0]?.version ?? 0;
}

export async function migrate(db: Database): Promise<number> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const current = await schemaVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new OutpostError(
      'notebook_invalid',
      `This notebook has schema version ${current}, made by a newer Outpost (this one knows up to ${SCHEMA_VERSION}). Update Outpost to open it.`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
  }
  return SCHEMA_VERSION;
}
