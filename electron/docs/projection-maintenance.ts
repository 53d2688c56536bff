import { isDeepStrictEqual } from 'node:util';
import type { Database } from '../notebook/database';
import type { DocStore } from './doc-store';
import { type ComputedRows, type Projection, prepareRows, type Queryable, writeRows } from './projection';

/** Documents are replayed from the log this many at a time (three queries per batch). */
const LOAD_BATCH = 200;

/**
 * What each projection should hold, computed from the update log, a batch of documents at a time.
 * Each document is loaded once for all the projections of its kind (a note feeds both the notes
 * table and its error signatures). With `prepare`, each batch's preparation (the notes' search
 * vectors, on a worker) starts as soon as it is computed, while the next batch is read.
 */
async function expectedRows(
  db: Queryable | Database,
  store: DocStore,
  projections: Projection[],
  prepare: boolean,
): Promise<Map<Projection, ComputedRows[]>> {
  const batches = new Map<Projection, ComputedRows[]>(projections.map((p) => [p, []]));
  for (const kind of new Set(projections.map((p) => p.kind))) {
    const ofKind = projections.filter((p) => p.kind === kind);
    const docIds = await store.listDocIds(kind, db);
    for (let start = 0; start < docIds.length; start += LOAD_BATCH) {
      const loaded = [...(await store.loadManyFromLog(docIds.slice(start, start + LOAD_BATCH), db))];
      for (const projection of ofKind) {
        const rows = loaded.map(([docId, { doc, updatedAt }]) => projection.compute(docId, doc, { updatedAt }));
        batches.get(projection)?.push(prepare ? prepareRows(projection, rows) : { projection, rows: Promise.resolve(rows) });
      }
      for (const [, { doc }] of loaded) doc.destroy();
      // A turn of the event loop per batch: the vector worker's answers are delivered as they come.
      if (prepare) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return batches;
}

/**
 * Drops the table's GIN indexes (search vectors, tags) and returns what builds them again. Building
 * a GIN index over a filled table is several times cheaper than growing it row by row; it all
 * happens in the rebuild's transaction, so no reader ever sees the table without them.
 */
async function dropGinIndexes(tx: Queryable, table: string): Promise<() => Promise<void>> {
  const found = await tx.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND indexdef LIKE '% USING gin %'`,
    [table],
  );
  for (const { indexname } of found.rows) await tx.exec(`DROP INDEX "${indexname}"`);
  return async () => {
    for (const { indexdef } of found.rows) await tx.exec(indexdef);
  };
}

/** Drops every projection and recomputes it from the update log, all in one transaction. */
export async function rebuildProjections(
  db: Database,
  store: DocStore,
  projections: Projection[],
): Promise<{ table: string; rows: number }[]> {
  await store.flush();
  for (const projection of projections) projection.warmUp?.();
  return db.transaction(async (tx) => {
    const report = [];
    const expected = await expectedRows(tx, store, projections, true);
    for (const projection of projections) {
      await projection.clear(tx);
      const restoreIndexes = await dropGinIndexes(tx, projection.table);
      let written = 0;
      for (const batch of expected.get(projection) ?? []) {
        const rows = await batch.rows;
        await writeRows(tx, projection, rows);
        written += rows.reduce((n, row) => n + (projection.tableRows?.(row) ?? 1), 0);
      }
      await restoreIndexes();
      report.push({ table: projection.table, rows: written });
    }
    return report;
  });
}

/** Compares each projection with what the update log says it should be; returns one line per difference. */
export async function checkProjections(db: Database, store: DocStore, projections: Projection[]): Promise<string[]> {
  await store.flush();
  const problems: string[] = [];
  const all = await expectedRows(db, store, projections, false);
  for (const projection of projections) {
    const rows = (await Promise.all((all.get(projection) ?? []).map((batch) => batch.rows))).flat();
    const expected = new Map(rows.map((row) => [row.doc_id, row]));
    const actual = new Map((await projection.readAll(db)).map((row) => [row.doc_id, row]));
    for (const [docId, row] of expected) {
      const stored = actual.get(docId);
      if (!stored) problems.push(`${projection.table}: ${docId} is missing`);
      else if (!isDeepStrictEqual({ ...stored }, { ...row })) problems.push(`${projection.table}: ${docId} differs from its update log`);
    }
    for (const docId of actual.keys()) {
      if (!expected.has(docId)) problems.push(`${projection.table}: ${docId} has no document`);
    }
    problems.push(...((await projection.verifyStored?.(db)) ?? []));
  }
  return problems;
}
