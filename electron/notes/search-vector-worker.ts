/**
 * Worker thread: computes notes' search vectors on a database of its own (an in-memory PGlite), so
 * that Postgres's text parser, most of a bulk write's cost, runs on another core than the
 * notebook's. Started by `search-vectors.ts`; receives batches of notes, answers their vectors in
 * text form, in the order asked.
 */
import { parentPort } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import {
  JOIN_TAGS_FUNCTION_SQL,
  NOTE_VECTOR_COLUMNS,
  type NoteVectors,
  noteVectorSql,
  type VectorRequest,
  type VectorResponse,
} from './note-vectors';

const port = parentPort;
if (!port) throw new Error('search-vector-worker must run as a worker thread');

const vectors = noteVectorSql('r.title', 'r.tags', 'r.body');
const QUERY = `SELECT ${NOTE_VECTOR_COLUMNS.map((c) => `(${vectors[c]})::text AS ${c}`).join(', ')}
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (title text, tags text[], body text)) WITH ORDINALITY AS r(title, tags, body, n)
  ORDER BY r.n`;

const send = (message: VectorResponse) => port.postMessage(message);

const ready = (async () => {
  const db = await PGlite.create();
  await db.exec(JOIN_TAGS_FUNCTION_SQL);
  return db;
})();

ready.then(
  () => send({ ready: true }),
  // Without a database nothing can be answered: the client computes in the notebook instead.
  () => process.exit(1),
);

// One batch at a time, in arrival order (PGlite runs one query at a time anyway).
let queue = Promise.resolve();
port.on('message', (request: VectorRequest) => {
  queue = queue.then(async () => {
    try {
      const db = await ready;
      const result = await db.query<Record<(typeof NOTE_VECTOR_COLUMNS)[number], string>>(QUERY, [JSON.stringify(request.notes)]);
      send({ id: request.id, vectors: result.rows.map((row) => NOTE_VECTOR_COLUMNS.map((c) => row[c]) as NoteVectors) });
    } catch (error) {
      send({ id: request.id, error: (error as Error).message });
    }
  });
});
