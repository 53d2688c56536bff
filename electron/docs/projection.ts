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
  /** Deletes every row of this projection (before a rebuild). */
  clear(tx: Queryable): Promise<void>;
  readAll(db: Queryable | Database): Promise<Row[]>;
  /** How many table rows a computed row writes (one, unless a document projects to several, like an engagement's lessons). */
  tableRows?(row: Row): number;
}

/** Writes rows through `writeMany` when the projection has it, else one by one. */
export async function writeRows<Row extends { doc_id: string }>(tx: Queryable, projection: Projection<Row>, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  if (projection.writeMany) await projection.writeMany(tx, rows);
  else for (const row of rows) await projection.write(tx, row);
}
