import type * as Y from 'yjs';
import { parseDocId } from '../../shared/ids';
import { bodyFacts, noteBody, readNoteMeta } from '../../shared/notes/doc';
import type { NoteSummary, NoteType } from '../../shared/notes/model';
import type { DocLogInfo, Projection, Queryable } from '../docs/projection';
import type { Database } from '../notebook/database';
import { bulkWorker } from './bulk-worker-client';
import { NOTE_VECTOR_COLUMNS, type NoteVectors, noteVectorSql } from './note-vectors';

export interface NoteRow {
  id: string;
  doc_id: string;
  engagement_id: string;
  title: string;
  type: NoteType;
  classification: string;
  tags: string[];
  pinned: boolean;
  author_id: string;
  author_name: string;
  created_at: string;
  updated_at: string;
  words: number;
  body: string;
  /** Ids of linked notes (written to note_links). */
  links: string[];
  /** sha256 of the attachments and images the body holds (where an image's text read by OCR goes). */
  attachments: string[];
  /** The search vectors in text form, when a bulk write had them computed on the worker (else SQL computes them). */
  vectors?: NoteVectors;
}

const COLUMNS = [
  'id',
  'doc_id',
  'engagement_id',
  'title',
  'type',
  'classification',
  'tags',
  'pinned',
  'author_id',
  'author_name',
  'created_at',
  'updated_at',
  'words',
  'body',
  'attachments',
] as const satisfies ReadonlyArray<keyof NoteRow>;

/** The notes table's column types, for rows read from JSON by `writeMany`. */
const COLUMN_TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: 'uuid',
  doc_id: 'text',
  engagement_id: 'uuid',
  title: 'text',
  type: 'text',
  classification: 'text',
  tags: 'text[]',
  pinned: 'boolean',
  author_id: 'text',
  author_name: 'text',
  created_at: 'text',
  updated_at: 'text',
  words: 'integer',
  body: 'text',
  attachments: 'text[]',
};
const UPSERT_UPDATES = [...COLUMNS.filter((c) => c !== 'id'), ...NOTE_VECTOR_COLUMNS].map((c) => `${c} = EXCLUDED.${c}`).join(', ');

/** One row: its vectors computed here from the row's own title, tags and body parameters. */
const placeholder = (column: (typeof COLUMNS)[number]) => `$${COLUMNS.indexOf(column) + 1}::${COLUMN_TYPES[column]}`;
const SINGLE_VECTORS = noteVectorSql(placeholder('title'), placeholder('tags'), placeholder('body'));
const INSERT_ONE = `INSERT INTO notes (${[...COLUMNS, ...NOTE_VECTOR_COLUMNS].join(', ')})
  VALUES (${[...COLUMNS.map((c) => placeholder(c)), ...NOTE_VECTOR_COLUMNS.map((c) => SINGLE_VECTORS[c])].join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${UPSERT_UPDATES}`;

/** Many rows from one JSON array: the vectors' text form where the worker computed them, else computed here. */
const BULK_VECTORS = noteVectorSql('r.title', 'r.tags', 'r.body');
const INSERT_MANY = `INSERT INTO notes (${[...COLUMNS, ...NOTE_VECTOR_COLUMNS].join(', ')})
  SELECT ${[...COLUMNS, ...NOTE_VECTOR_COLUMNS.map((c) => `coalesce(r.${c}, ${BULK_VECTORS[c]})`)].join(', ')}
  FROM jsonb_to_recordset($1::jsonb) AS r(${[...COLUMNS.map((c) => `${c} ${COLUMN_TYPES[c]}`), ...NOTE_VECTOR_COLUMNS.map((c) => `${c} tsvector`)].join(', ')})
  ON CONFLICT (id) DO UPDATE SET ${UPSERT_UPDATES}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Notes: list columns, the searchable text (tsvector computed by Postgres) and [[links]]. */
export const noteProjection: Projection<NoteRow> = {
  kind: 'note',
  table: 'notes',
  // Walking a long body and rebuilding its search vector on every keystroke would tax typing.
  debounceMs: 400,

  compute(docId: string, doc: Y.Doc, log: DocLogInfo): NoteRow {
    const meta = readNoteMeta(doc);
    const facts = bodyFacts(noteBody(doc));
    const id = parseDocId(docId).id;
    return {
      id,
      doc_id: docId,
      engagement_id: UUID.test(meta.engagementId) ? meta.engagementId : '00000000-0000-0000-0000-000000000000',
      title: meta.title,
      type: meta.type,
      classification: meta.classification,
      tags: meta.tags,
      pinned: meta.pinned,
      author_id: meta.authorId,
      author_name: meta.authorName,
      created_at: meta.createdAt,
      updated_at: log.updatedAt,
      words: facts.words,
      body: facts.text,
      links: facts.links.filter((target) => UUID.test(target) && target !== id),
      attachments: facts.attachments,
    };
  },

  async write(tx: Queryable, row: NoteRow): Promise<void> {
    await tx.query(
      INSERT_ONE,
      COLUMNS.map((c) => row[c]),
    );
    await tx.query('DELETE FROM note_links WHERE source_id = $1', [row.id]);
    if (row.links.length) {
      await tx.query('INSERT INTO note_links (source_id, target_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [
        row.id,
        row.links,
      ]);
    }
  },

  /**
   * Every row in one statement (the rows travel as one JSON array, read back with their column
   * types), and their links in two: per row, three round trips through PGlite cost more than the
   * insert itself once notes come by the thousand.
   */
  async writeMany(tx: Queryable, rows: NoteRow[]): Promise<void> {
    await tx.query(INSERT_MANY, [
      JSON.stringify(
        rows.map((row) => {
          const record: Record<string, unknown> = Object.fromEntries(COLUMNS.map((c) => [c, row[c]]));
          if (row.vectors) for (const [i, c] of NOTE_VECTOR_COLUMNS.entries()) record[c] = row.vectors[i];
          return record;
        }),
      ),
    ]);
    const ids = rows.map((row) => row.id);
    await tx.query('DELETE FROM note_links WHERE source_id = ANY($1::uuid[])', [ids]);
    const sources = rows.flatMap((row) => row.links.map(() => row.id));
    if (sources.length) {
      await tx.query('INSERT INTO note_links (source_id, target_id) SELECT * FROM unnest($1::uuid[], $2::uuid[]) ON CONFLICT DO NOTHING', [
        sources,
        rows.flatMap((row) => row.links),
      ]);
    }
  },

  /**
   * Postgres's text parser is most of a bulk write's cost: the worker thread computes the batch's
   * vectors while this thread reads the next documents. Rows the worker could not do go without,
   * and `writeMany` computes theirs here.
   */
  async prepareMany(rows: NoteRow[]): Promise<NoteRow[]> {
    const vectors = await bulkWorker.vectors(rows);
    return vectors ? rows.map((row, i) => ({ ...row, vectors: vectors[i] })) : rows;
  },

  warmUp(): void {
    void bulkWorker.whenReady();
  },

  /** Vectors written from the worker's text form must be what this database makes of the note's text. */
  async verifyStored(db: Queryable | Database): Promise<string[]> {
    const expected = noteVectorSql('n.title', 'n.tags', 'n.body');
    const differing = await db.query<{ doc_id: string }>(
      `SELECT n.doc_id FROM notes n WHERE ${NOTE_VECTOR_COLUMNS.map((c) => `n.${c} IS DISTINCT FROM (${expected[c]})`).join(' OR ')} ORDER BY n.doc_id`,
    );
    return differing.rows.map((row) => `notes: ${row.doc_id} has search vectors that differ from its text`);
  },

  async clear(tx: Queryable): Promise<void> {
    await tx.query('DELETE FROM note_links');
    await tx.query('DELETE FROM notes');
  },

  async readAll(db: Queryable | Database): Promise<NoteRow[]> {
    const result = await db.query<NoteRow>(
      `SELECT ${COLUMNS.map((c) => `n.${c}`).join(', ')},
              coalesce((SELECT array_agg(l.target_id::text ORDER BY l.target_id) FROM note_links l WHERE l.source_id = n.id), '{}') AS links
       FROM notes n ORDER BY n.id`,
    );
    return result.rows;
  },
};

export type NoteListRow = Omit<NoteRow, 'body' | 'links' | 'doc_id'>;

export function rowToNoteSummary(row: NoteListRow): NoteSummary {
  return {
    id: row.id,
    engagementId: row.engagement_id,
    title: row.title,
    type: row.type,
    classification: row.classification,
    tags: row.tags,
    pinned: row.pinned,
    authorName: row.author_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    words: row.words,
  };
}

/** Columns for lists: everything but the body. */
export const NOTE_LIST_COLUMNS = COLUMNS.filter((c) => c !== 'body' && c !== 'doc_id')
  .map((c) => `n.${c}`)
  .join(', ');
