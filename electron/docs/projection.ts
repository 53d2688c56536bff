import type { Transaction } from '@electric-sql/pglite';
import type * as Y from 'yjs';
import type { DocKind } from '../../shared/ids';
import type { Database } from '../notebook/database';

export type Queryable = Pick<Transaction, 'query' | 'exec'>;

/** What the update log says about a document, besides its content. */
export interface DocLogInfo {
  /** When the newest update of the document reached this notebook (ISO 8601). */
  updatedAt: string;
}

/**
 * A relational projection of one kind of document. `compute` is pure, so the same rows come out
 * whether the doc is the live one or one replayed from the update log: that is what makes a
 * projection rebuildable and checkable (`outpost doctor`).
 */
export interface Projection<Row extends { doc_id: string } = { doc_id: string }> {
  kind: DocKind;
  table: string;
  /**
   * Rewrite the projection this long after the last change instead of with every change. For
   * documents whose projection is costly (a long note's text and search vector), so that typing
   * does not pay for it per keystroke. The update itself is always written at once.
   */
  debounceMs?: number;
  compute(docId: string, doc: Y.Doc, log: DocLogInfo): Row;
  /** Upserts the row (and anything that belongs to it, e.g. link rows). */
  write(tx: Queryable, row: Row): Promise<void>;
  /**
   * Upserts many rows in a few statements (imports, corpora, rebuilds): what `write` does row by
   * row, without a round trip through the database per row. Rows have distinct doc ids.
   */
  writeMany?(tx: Queryable, rows: Row[]): Promise<void>;
  /**
   * Work a batch of rows needs before `writeMany` that can run off this thread (the notes' search
   * vectors, on a worker); resolves to the rows to write, and never rejects (what it could not do,
   * `writeMany` does). Bulk writes start it as soon as a batch is computed and await it when the
   * batch is written, so the next batch is read and computed meanwhile.
   */
  prepareMany?(rows: Row[]): Promise<Row[]>;
  /** Many documents are coming: start what `prepareMany` uses (a worker takes a second or so to start). */
  warmUp?(): void;
  /**
   * Checks what the stored rows hold beyond `readAll`'s columns (the notes' search vectors against
   * their text); one line per difference. For `outpost doctor`.
   */
  verifyStored?(db: Queryable | Database): Promise<string[]>;
  /** Deletes every row of this projection (before a rebuild). */
  clear(tx: Queryable): Promise<void>;
  readAll(db: Queryable | Database): Promise<Row[]>;
  /** How many table rows a computed row writes (one, unless a document projects to several, like an engagement's lessons). */
  tableRows?(row: Row): number;
}

/** One projection's rows for a batch of documents, their preparation (`prepareMany`) under way. */
export interface ComputedRows {
  projection: Projection;
  rows: Promise<Array<{ doc_id: string }>>;
}

/** Starts a batch's preparation (see `prepareMany`); the rows as they are when the projection has none. */
export function prepareRows(projection: Projection, rows: Array<{ doc_id: string }>): ComputedRows {
  return { projection, rows: projection.prepareMany && rows.length ? projection.prepareMany(rows) : Promise.resolve(rows) };
}

/**
 * Writes computed batches, each projection's rows together. Engagements first, as one document at
 * a time did: what their projections write, notes may read.
 */
export async function writeComputed(tx: Queryable, computed: ComputedRows[]): Promise<void> {
  const ordered = [...computed].sort((a, b) => Number(b.projection.kind === 'engagement') - Number(a.projection.kind === 'engagement'));
  for (const { projection, rows } of ordered) await writeRows(tx, projection, await rows);
}

/** Writes rows through `writeMany` when the projection has it, else one by one. */
export async function writeRows<Row extends { doc_id: string }>(tx: Queryable, projection: Projection<Row>, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  if (projection.writeMany) await projection.writeMany(tx, rows);
  else for (const row of rows) await projection.write(tx, row);
}
