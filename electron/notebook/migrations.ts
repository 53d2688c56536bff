/**
 * Versioned schema migrations, applied in order, each in its own transaction. Never edit a
 * migration that has shipped: add a new one. Projections (tables derived from Yjs docs) can be
 * dropped and rebuilt from `doc_updates` at any time; the update log itself is the record.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'update log, snapshots, engagement projection',
    sql: `
      CREATE TABLE notebook_meta (
        key text PRIMARY KEY,
        value jsonb NOT NULL
      );

      -- Every Yjs document the notebook holds.
      CREATE TABLE docs (
        doc_id text PRIMARY KEY,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- The source of truth: each document's Yjs updates in arrival order, with their origin.
      CREATE TABLE doc_updates (
        seq bigserial PRIMARY KEY,
        doc_id text NOT NULL REFERENCES docs (doc_id),
        data bytea NOT NULL,
        device_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, seq);

      -- Compacted state up to a point in the log, so loading a doc does not replay it all.
      CREATE TABLE doc_snapshots (
        doc_id text PRIMARY KEY REFERENCES docs (doc_id),
        state bytea NOT NULL,
        upto_seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Projection of engagement docs, for listing and sorting. Rebuildable from doc_updates.
      CREATE TABLE engagements (
        id uuid PRIMARY KEY,
        doc_id text NOT NULL UNIQUE REFERENCES docs (doc_id),
        client text NOT NULL,
        site text NOT NULL,
        codename text NOT NULL,
        ceiling text NOT NULL,
        start_date text,
        end_date text,
        status text NOT NULL,
        archived boolean NOT NULL,
        team_size integer NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      );
      CREATE INDEX engagements_by_codename ON engagements (lower(codename));
      CREATE INDEX engagements_by_updated ON engagements (updated_at DESC);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
