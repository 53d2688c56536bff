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
  {
    version: 2,
    name: 'notes projection with full-text search, note links, attachments',
    sql: `
      -- array_to_string is only STABLE; tags of text[] always join the same way.
      CREATE FUNCTION outpost_join_tags(text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, ' ') $$;

      -- Projection of note docs. The body text is indexed up to 400,000 characters (a tsvector
      -- holds at most 1 MB); the whole text is kept for snippets.
      CREATE TABLE notes (
        id uuid PRIMARY KEY,
        doc_id text NOT NULL UNIQUE REFERENCES docs (doc_id),
        engagement_id uuid NOT NULL,
        title text NOT NULL,
        type text NOT NULL,
        classification text NOT NULL,
        tags text[] NOT NULL,
        pinned boolean NOT NULL,
        author_id text NOT NULL,
        author_name text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        words integer NOT NULL,
        body text NOT NULL,
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', outpost_join_tags(tags)), 'B') ||
          setweight(to_tsvector('english', left(body, 400000)), 'C')
        ) STORED
      );
      CREATE INDEX notes_search ON notes USING GIN (search);
      CREATE INDEX notes_tags ON notes USING GIN (tags);
      CREATE INDEX notes_by_engagement ON notes (engagement_id, updated_at DESC);
      CREATE INDEX notes_by_updated ON notes (updated_at DESC);

      -- [[links]] between notes, by id (part of the notes projection).
      CREATE TABLE note_links (
        source_id uuid NOT NULL,
        target_id uuid NOT NULL,
        PRIMARY KEY (source_id, target_id)
      );
      CREATE INDEX note_links_by_target ON note_links (target_id);

      -- Content-addressed files in attachments/ab/<sha256>. Not a projection: the files are data.
      CREATE TABLE attachments (
        sha256 text PRIMARY KEY,
        size bigint NOT NULL,
        mime text NOT NULL,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 3,
    name: 'a small ranking vector for notes',
    sql: `
      -- Ranking every match against the full body vector means reading a large TOASTed tsvector
      -- per matching note: for a common word over 20,000 notes, most of a second. Matches are
      -- still found with the full vector (GIN); they are ranked by title, tags and the opening of
      -- the body, which is small enough to stay inline.
      ALTER TABLE notes ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', outpost_join_tags(tags)), 'B') ||
        setweight(to_tsvector('english', left(body, 1500)), 'C')
      ) STORED;
    `,
  },
  {
    version: 4,
    name: 'notes search: title/tag vector, numeric recency, narrow rows',
    sql: `
      -- Search picks its candidates as the most recently updated matches: sorting thousands of
      -- ISO text dates is most of a search's time in PGlite, a bigint sorts many times faster.
      -- Dates are always written as UTC ISO strings ('…Z'), so the conversion does not depend on
      -- the session's time zone and is safe to declare IMMUTABLE.
      CREATE FUNCTION outpost_iso_ms(text) RETURNS bigint
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (extract(epoch FROM $1::timestamptz) * 1000)::bigint $$;

      -- Rows hold the list columns inline and push the body and both vectors out of line, so a
      -- search visits a few hundred heap pages instead of thousands.
      ALTER TABLE notes SET (toast_tuple_target = 512);

      -- Title and tags alone, so that notes named after a word are always among the candidates.
      ALTER TABLE notes
        ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', outpost_join_tags(tags)), 'B')
        ) STORED,
        ADD COLUMN updated_ms bigint GENERATED ALWAYS AS (outpost_iso_ms(updated_at)) STORED;
      CREATE INDEX notes_head ON notes USING GIN (head_vector);
    `,
  },
  {
    version: 5,
    name: 'sync bundles: trusted devices, ledger, what each peer has, update provenance',
    sql: `
      -- Devices whose bundles this notebook accepts (their Ed25519 public keys). A revoked device
      -- stays listed, so a bundle it signs is refused by name rather than treated as unknown.
      CREATE TABLE trusted_devices (
        device_id uuid PRIMARY KEY,
        name text NOT NULL,
        public_key bytea NOT NULL,
        fingerprint text NOT NULL,
        trusted_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );

      -- Every bundle written or imported, once per direction (a re-import is not a new entry).
      CREATE TABLE bundle_ledger (
        bundle_id uuid NOT NULL,
        direction text NOT NULL CHECK (direction IN ('sent', 'received')),
        peer_device_id uuid,
        peer_name text NOT NULL,
        created_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        engagement_ids uuid[] NOT NULL,
        max_classification text,
        delta text NOT NULL,
        docs integer NOT NULL,
        changed_docs integer NOT NULL,
        attachments integer NOT NULL,
        bytes bigint NOT NULL,
        file_name text NOT NULL,
        PRIMARY KEY (bundle_id, direction)
      );

      -- What each peer is known to hold, per document: the Yjs state vector (merged from what we
      -- sent them and what they sent us) and the snapshot we last sent, so a delta bundle carries
      -- only what they lack, deletions included.
      CREATE TABLE peer_state (
        peer_device_id uuid NOT NULL,
        doc_id text NOT NULL,
        state_vector bytea NOT NULL,
        sent_snapshot bytea,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (peer_device_id, doc_id)
      );

      -- Which bundle an update arrived in (null: written on this device).
      ALTER TABLE doc_updates ADD COLUMN bundle_id uuid;
    `,
  },
  {
    version: 6,
    name: 'concurrent field sets found by imports, for review',
    sql: `
      -- A field two devices set without seeing each other's change keeps one value; the other is
      -- kept here until someone picks which one stays (a pick is a new edit, so it merges).
      CREATE TABLE field_conflicts (
        id bigserial PRIMARY KEY,
        doc_id text NOT NULL REFERENCES docs (doc_id),
        path text NOT NULL,
        kept jsonb,
        overwritten jsonb,
        -- true: this notebook's value was overwritten by the bundle's; false: the other way round.
        overwritten_here boolean NOT NULL,
        bundle_id uuid NOT NULL,
        peer_name text NOT NULL,
        detected_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolution text CHECK (resolution IN ('kept', 'restored'))
      );
      CREATE INDEX field_conflicts_open ON field_conflicts (detected_at) WHERE resolved_at IS NULL;
    `,
  },
  {
    version: 7,
    name: 'projections owed for documents already in the log',
    sql: `
      -- Documents whose projection rows lag their update log: written by an import (projected
      -- after it commits) or by typing (projected after a pause). A crash in between leaves the
      -- row here, and the notebook catches up when it next opens.
      CREATE TABLE projection_backlog (
        doc_id text PRIMARY KEY REFERENCES docs (doc_id),
        since timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 8,
    name: 'lessons library: lessons and playbooks projections',
    sql: `
      -- Projection of the lessons kept in engagement docs: one row per lesson, keyed by its ref
      -- "<engagementId>:<lessonId>". classification is the effective marking (the lesson's own,
      -- else the engagement's ceiling); evidence is the links as stored, for the library's views.
      CREATE TABLE lessons (
        ref text PRIMARY KEY,
        doc_id text NOT NULL,
        engagement_id uuid NOT NULL,
        lesson_id uuid NOT NULL,
        title text NOT NULL,
        skill_area text NOT NULL,
        industry text NOT NULL,
        tags text[] NOT NULL,
        applies_to text[] NOT NULL,
        status text NOT NULL,
        classification text NOT NULL,
        author text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        merged_into text,
        merged_from_count integer NOT NULL,
        evidence_count integer NOT NULL,
        evidence jsonb NOT NULL,
        context text NOT NULL,
        what_happened text NOT NULL,
        root_cause text NOT NULL,
        what_worked text NOT NULL,
        what_did_not text NOT NULL,
        recommendation text NOT NULL,
        -- Same text search configuration as notes: title A, recommendation B, the rest C.
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', left(recommendation, 100000)), 'B') ||
          setweight(to_tsvector('english', left(
            context || ' ' || what_happened || ' ' || root_cause || ' ' || what_worked || ' ' || what_did_not || ' ' ||
            outpost_join_tags(tags) || ' ' || skill_area || ' ' || industry, 400000)), 'C')
        ) STORED,
        -- What similar-lesson detection compares: the title and the opening of the recommendation.
        -- Compared in shared/lessons/similarity.ts with pg_trgm's definition, not by the extension:
        -- a GIN-indexed self-join (t % a.t) took minutes for 5,000 lessons in PGlite, as lessons
        -- share most of their trigrams and the index returns nearly every row.
        similarity_text text GENERATED ALWAYS AS (lower(title || ' ' || left(recommendation, 400))) STORED
      );
      CREATE INDEX lessons_by_doc ON lessons (doc_id);
      CREATE INDEX lessons_search ON lessons USING GIN (search);
      CREATE INDEX lessons_tags ON lessons USING GIN (tags);
      CREATE INDEX lessons_applies_to ON lessons USING GIN (applies_to);
      CREATE INDEX lessons_by_skill_area ON lessons (skill_area);
      CREATE INDEX lessons_by_engagement ON lessons (engagement_id, created_at DESC);
      CREATE INDEX lessons_by_created ON lessons (created_at DESC);

      -- Projection of playbook docs, for the list of playbooks.
      CREATE TABLE playbooks (
        id uuid PRIMARY KEY,
        doc_id text NOT NULL UNIQUE,
        title text NOT NULL,
        chapters integer NOT NULL,
        lessons integer NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL
      );

      -- Engagement and playbook docs already in the log are projected when the notebook opens.
      INSERT INTO projection_backlog (doc_id) SELECT doc_id FROM docs WHERE kind IN ('engagement', 'playbook')
        ON CONFLICT (doc_id) DO NOTHING;
    `,
  },
  {
    version: 9,
    name: 'doc_updates stored without TOAST compression',
    sql: `
      -- Large updates (a bundle's merged documents, a pasted chapter) were compressed with pglz, the
      -- only TOAST compression this build of Postgres has (no lz4): in the WebAssembly build that took
      -- a quarter of a bundle import's CPU time (1.2–1.6 s of 5–7 s for 56 MB). Stored out of line
      -- uncompressed instead; the log stays about the size of the updates themselves, and compaction
      -- folds it into doc_snapshots, which keep their compression (written in the background).
      ALTER TABLE doc_updates ALTER COLUMN data SET STORAGE EXTERNAL;
    `,
  },
  {
    version: 10,
    name: 'lessons: a small vector to rank search matches by',
    sql: `
      -- Ranking read every matching lesson's whole search vector (about 1 KB, stored compressed):
      -- decompressing them was most of the ranking's cost when a word is in a third of the library.
      -- Matches still come from the full vector through its GIN index; they are ranked by where the
      -- words stand in what a reader sees first: the title and tags, the recommendation's opening, the
      -- opening of what happened and why. Small enough to stay inline and uncompressed.
      ALTER TABLE lessons ADD COLUMN rank_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title || ' ' || outpost_join_tags(tags)), 'A') ||
        setweight(to_tsvector('english', left(recommendation, 400)), 'B') ||
        setweight(to_tsvector('english', left(what_happened, 200) || ' ' || left(root_cause, 200)), 'C')
      ) STORED;
    `,
  },
  {
    version: 11,
    name: 'import_sources: which note each imported file became',
    sql: `
      -- An import (Markdown folder, Obsidian vault, Joplin export, Evernote file) records, per
      -- source file, the note it wrote: re-importing the same source updates that note instead of
      -- adding a copy. content_hash is the converted note as imported (unchanged sources are
      -- skipped); state_vector is the note's Yjs state right after the import, so a note edited
      -- here (or by a teammate) since then is recognised and left alone unless the user overwrites.
      CREATE TABLE import_sources (
        engagement_id uuid NOT NULL,
        source_kind text NOT NULL,
        source_name text NOT NULL,
        source_key text NOT NULL,
        doc_id text NOT NULL REFERENCES docs (doc_id),
        content_hash text NOT NULL,
        state_vector bytea NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (engagement_id, source_kind, source_name, source_key)
      );
      CREATE INDEX import_sources_doc ON import_sources (doc_id);
    `,
  },
  {
    version: 12,
    name: 'error signatures of log blocks and incident notes',
    sql: `
      -- Projection of note docs for "seen before": one row per error signature of a log block (or
      -- of an incident's prose), rebuilt from the update log like the other projections.
      CREATE TABLE error_signatures (
        doc_id text NOT NULL,
        note_id uuid NOT NULL,
        engagement_id uuid NOT NULL,
        block_index integer NOT NULL,
        ordinal integer NOT NULL,
        kind text NOT NULL,
        template_id text NOT NULL,
        template text NOT NULL,
        exception_type text NOT NULL,
        frames text[] NOT NULL,
        -- Exception type and top frames hashed: the same crash site with another message.
        frames_key text NOT NULL,
        -- The template's meaningful words, and their MinHash bands (shared/debugging/similarity.ts):
        -- near matches are the rows sharing a band, found through the GIN index, then scored.
        tokens text[] NOT NULL,
        bands integer[] NOT NULL,
        lines integer NOT NULL,
        classification text NOT NULL,
        resolution text NOT NULL,
        created_at text NOT NULL,
        updated_at text NOT NULL,
        PRIMARY KEY (doc_id, block_index, ordinal)
      );
      CREATE INDEX error_signatures_by_template ON error_signatures (template_id);
      CREATE INDEX error_signatures_by_frames ON error_signatures (frames_key) WHERE frames_key <> '';
      -- Without fastupdate: PGlite runs no autovacuum, so GIN's pending list of new entries would
      -- only grow (up to 4 MB) and every lookup would read all of it (24 ms at 100,000 rows).
      CREATE INDEX error_signatures_by_band ON error_signatures USING gin (bands) WITH (fastupdate = off);
      CREATE INDEX error_signatures_by_note ON error_signatures (note_id);

      -- Notes already in the log are projected when the notebook opens.
      INSERT INTO projection_backlog (doc_id) SELECT doc_id FROM docs WHERE kind = 'note'
        ON CONFLICT (doc_id) DO NOTHING;
    `,
  },
  {
    version: 13,
    name: 'team hub: arrivals attributed to their device and hub',
    sql: `
      -- Updates that arrived from a team hub: the hub's key fingerprint (device_id is the author's).
      ALTER TABLE doc_updates ADD COLUMN via_hub text;
      -- The devices a hub named as authors (its index document), so history shows their names.
      CREATE TABLE hub_devices (
        device_id text PRIMARY KEY,
        name text NOT NULL,
        fingerprint text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 14,
    name: 'text read from images (OCR), and which attachments each note holds',
    sql: `
      -- What OCR made of each image attachment, read once however many notes show it; a failure
      -- is kept with its reason, reported and not tried again. The text itself is written into
      -- the notes' image nodes (it travels with the note); this is the engine's record of work.
      CREATE TABLE attachment_ocr (
        sha256 text PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('done', 'failed')),
        text text NOT NULL DEFAULT '',
        error text NOT NULL DEFAULT '',
        ms integer NOT NULL DEFAULT 0,
        read_at timestamptz NOT NULL DEFAULT now()
      );
      -- Part of the notes projection: the notes an image's text goes to.
      ALTER TABLE notes ADD COLUMN attachments text[] NOT NULL DEFAULT '{}';
      CREATE INDEX notes_by_attachment ON notes USING gin (attachments) WITH (fastupdate = off);
      INSERT INTO projection_backlog (doc_id) SELECT doc_id FROM docs WHERE kind = 'note'
        ON CONFLICT (doc_id) DO NOTHING;
    `,
  },
  {
    version: 15,
    name: 'notes search vectors written by the projection',
    sql: `
      -- Postgres's text parser building these vectors was most of a bulk write. Bulk writes now
      -- compute them on a worker thread and store their text form; a single note's projection
      -- computes them here, with the same expressions (electron/notes/note-vectors.ts). The
      -- values already stored stay as they are.
      ALTER TABLE notes
        ALTER COLUMN search DROP EXPRESSION,
        ALTER COLUMN rank_vector DROP EXPRESSION,
        ALTER COLUMN head_vector DROP EXPRESSION;
      ALTER TABLE notes
        ALTER COLUMN search SET NOT NULL,
        ALTER COLUMN rank_vector SET NOT NULL,
        ALTER COLUMN head_vector SET NOT NULL;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
