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
  compute(docId: string, doc: Y.Doc, log: DocLogInfo): Row;
  write(tx: Queryable, row: Row): Promise<void>;
  readAll(db: Queryable | Database): Promise<Row[]>;
}
