/**
 * Worker thread for bulk writes (imports, corpora, rebuilds, catch-ups), so that they use a second
 * core: it builds new notes (Markdown parsed, the Y.Doc's first update, the projections' rows) and
 * computes notes' search vectors on a database of its own (an in-memory PGlite): Postgres's text
 * parser is most of a bulk write's cost. Started by `bulk-worker-client.ts`; answers each request
 * in the order asked. It holds no notebook data between requests.
 */
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import * as Y from 'yjs';
import { initNoteDocFrom } from '../../shared/notes/doc';
import { signatureProjection } from '../debugging/signature-projection';
import type { BuiltDoc } from '../docs/doc-store';
import type { Projection } from '../docs/projection';
import type { BulkRequest, BulkResponse, VectorSource } from './bulk-protocol';
import { type NoteRow, noteProjection } from './note-projection';
import { JOIN_TAGS_FUNCTION_SQL, NOTE_VECTOR_COLUMNS, type NoteVectors, noteVectorSql } from './note-vectors';

const port = parentPort;
if (!port) throw new Error('bulk-worker must run as a worker thread');

/** The projections of notes this worker can compute, by table (the caller names those it keeps). */
const NOTE_PROJECTIONS = new Map<string, Projection>(
  [noteProjection, signatureProjection].map((p) => [p.table, p as unknown as Projection]),
);

const vectorSql = noteVectorSql('r.title', 'r.tags', 'r.body');
const VECTORS_QUERY = `SELECT ${NOTE_VECTOR_COLUMNS.map((c) => `(${vectorSql[c]})::text AS ${c}`).join(', ')}
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (title text, tags text[], body text)) WITH ORDINALITY AS r(title, tags, body, n)
  ORDER BY r.n`;

const ready = (async () => {
  const db = await PGlite.create();
  await db.exec(JOIN_TAGS_FUNCTION_SQL);
  return db;
})();

ready.then(
  () => port.postMessage({ ready: true } satisfies BulkResponse),
  // Without a database nothing can be answered: the client does the work itself.
  () => process.exit(1),
);

async function vectors(notes: VectorSource[]): Promise<NoteVectors[]> {
  const db = await ready;
  const result = await db.query<Record<(typeof NOTE_VECTOR_COLUMNS)[number], string>>(VECTORS_QUERY, [
    JSON.stringify(notes.map(({ title, tags, body }) => ({ title, tags, body }))),
  ]);
  return result.rows.map((row) => NOTE_VECTOR_COLUMNS.map((c) => row[c]) as NoteVectors);
}

async function build(request: Extract<BulkRequest, { kind: 'build' }>): Promise<BuiltDoc[]> {
  const projections = request.tables.map((table) => {
    const projection = NOTE_PROJECTIONS.get(table);
    if (!projection) throw new Error(`No projection of notes writes ${table}`);
    return projection;
  });
  const built: BuiltDoc[] = request.notes.map((spec) => {
    const doc = new Y.Doc({ gc: true, guid: spec.docId });
    try {
      initNoteDocFrom(doc, spec);
      return {
        docId: spec.docId,
        update: Y.encodeStateAsUpdate(doc),
        rows: projections.map((p) => p.compute(spec.docId, doc, { updatedAt: request.updatedAt })),
      };
    } finally {
      doc.destroy();
    }
  });
  // The notes table's rows leave with their search vectors, as `prepareMany` would give them.
  const at = request.tables.indexOf(noteProjection.table);
  if (at >= 0) {
    const rows = built.map((note) => note.rows[at] as NoteRow);
    const made = await vectors(rows);
    rows.forEach((row, i) => {
      row.vectors = made[i];
    });
  }
  return built;
}

// One request at a time, in arrival order, each in a turn of its own.
let queue = Promise.resolve();
port.on('message', (request: BulkRequest) => {
  queue = queue.then(async () => {
    try {
      if (request.kind === 'vectors') port.postMessage({ id: request.id, vectors: await vectors(request.notes) } satisfies BulkResponse);
      else {
        const built = await build(request);
        port.postMessage({ id: request.id, built } satisfies BulkResponse, [
          ...new Set(built.map((note) => note.update.buffer as ArrayBuffer)),
        ]);
      }
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).message } satisfies BulkResponse);
    }
  });
});
