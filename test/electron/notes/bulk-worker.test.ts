import { afterAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { BulkWorker, bulkWorker } from '../../../electron/notes/bulk-worker-client';
import { noteProjection } from '../../../electron/notes/note-projection';
import { NOTE_VECTOR_COLUMNS, noteVectorSql } from '../../../electron/notes/note-vectors';
import { docIdFor } from '../../../shared/ids';
import { noteMetaMap } from '../../../shared/notes/doc';
import type { NoteCreate } from '../../../shared/notes/model';
import { notesToBuild } from '../../helpers/bulk-notes';
import { openTempNotebook } from '../../helpers/notebook';

/**
 * Bulk writes (createMany, the import catch-up, rebuilds) have the notes' search vectors computed
 * on a worker thread and store their text form; a single note's projection computes them in the
 * notebook's database. Both must store the very same vectors, and a worker that cannot help must
 * cost speed only.
 */

const SCRIPTS = [
  'Ré-démarrage du nœud « SAP » après l’incident',
  '東京の倉庫でスキャナーが停止した',
  'Сбой ODBC: таймаут 30 с на сервере erp01',
  'خطأ في الاتصال بقاعدة البيانات',
  'ताला खोलने में विफलता',
];

function corpus(engagementId: string, count: number): NoteCreate[] {
  return Array.from({ length: count }, (_, i) => ({
    engagementId,
    type: i % 3 ? 'incident' : 'runbook',
    title: `${SCRIPTS[i % SCRIPTS.length]} — step ${i}`,
    tags: i % 4 ? [`tag-${i % 7}`, 'two words', 'nœud'] : [],
    markdown:
      i === 0
        ? // Far past the ranking vector's 1,500 characters, within the 400,000 the full vector indexes.
          `${'warehouse scanner timeout '.repeat(2_000)}\n\nlastword${i}`
        : i === 1
          ? // Past the 400,000 characters: not indexed, on either path.
            `${'warehouse scanner timeout '.repeat(16_000)}\n\nbeyondword${i}`
          : `Quotes ' " \\ and $1, https://erp01.plant.local:8443/sap?x=1 a@b.example, 3.14 v2.0-beta ${SCRIPTS[(i + 1) % SCRIPTS.length]}\n\n\`\`\`\nORA-12170: TNS:Connect timeout occurred\n\`\`\`\n\n- [ ] item ${i}\n`,
  }));
}

/** Notes whose stored vectors differ from what the notebook's database computes from their text. */
async function differing(notebook: Awaited<ReturnType<typeof openTempNotebook>>): Promise<string[]> {
  const expected = noteVectorSql('n.title', 'n.tags', 'n.body');
  const rows = await notebook.db.query<{ title: string }>(
    `SELECT n.title FROM notes n WHERE ${NOTE_VECTOR_COLUMNS.map((c) => `n.${c}::text IS DISTINCT FROM (${expected[c]})::text`).join(' OR ')}`,
  );
  return rows.rows.map((row) => row.title);
}

afterAll(() => bulkWorker.stop());

describe('bulk writes on the worker', () => {
  it('builds notes and their vectors there exactly as a single write does, for every script, long bodies and empty tags', async () => {
    expect(await bulkWorker.whenReady()).toBe(true);
    const vectorsAnswered: Array<number | null> = [];
    const builtAnswered: Array<number | null> = [];
    const vectors = vi.spyOn(bulkWorker, 'vectors').mockImplementation(async function (this: BulkWorker, notes) {
      const answer = await BulkWorker.prototype.vectors.call(this, notes);
      vectorsAnswered.push(answer ? answer.length : null);
      return answer;
    });
    const build = vi.spyOn(bulkWorker, 'buildNotes').mockImplementation(async function (this: BulkWorker, notes, tables, at) {
      const answer = await BulkWorker.prototype.buildNotes.call(this, notes, tables, at);
      builtAnswered.push(answer ? answer.length : null);
      return answer;
    });
    try {
      const notebook = await openTempNotebook();
      const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
      await notebook.notes.createMany(corpus(heron.id, 250));
      // Parts of 100: the second was built on the worker, the first and third here with vectors from the worker.
      expect(builtAnswered).toEqual([100]);
      expect(vectorsAnswered.filter((n) => n !== null).reduce((a, n) => a + (n ?? 0), 0)).toBe(150);
      expect(await differing(notebook)).toEqual([]);
      // Rows and documents built on the worker are what this notebook computes from their update log.
      expect(await notebook.checkProjections()).toEqual([]);
      expect((await notebook.notes.list({ engagementId: heron.id, limit: 5000 })).notes).toHaveLength(250);
      const second = await notebook.notes.resolve(`${SCRIPTS[150 % SCRIPTS.length]} — step 150`, heron.id);
      expect(await notebook.notes.markdown(second)).toContain('- [ ] item 150');

      // The search finds what the worker indexed: a word past the ranking vector, a script, a tag.
      expect((await notebook.notes.search('lastword0')).map((hit) => hit.note.title)).toEqual([`${SCRIPTS[0]} — step 0`]);
      expect((await notebook.notes.search('таймаут')).length).toBeGreaterThan(0);
      expect((await notebook.notes.search('TNS')).length).toBeGreaterThan(0);
      const matching = await notebook.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notes WHERE search @@ to_tsquery('english', 'tns')`,
      );
      expect(matching.rows[0]?.n).toBe(248);
      expect(await notebook.notes.search('beyondword1')).toEqual([]);

      // A rebuild goes through the worker too, and ends with the same vectors.
      vectorsAnswered.length = 0;
      await notebook.rebuildProjections();
      expect(vectorsAnswered.some((n) => n !== null)).toBe(true);
      expect(await differing(notebook)).toEqual([]);
    } finally {
      vectors.mockRestore();
      build.mockRestore();
    }
  });

  it("writes the worker's vectors for an import's catch-up too, batch after batch, every note found", async () => {
    expect(await bulkWorker.whenReady()).toBe(true);
    const compute = vi.spyOn(bulkWorker, 'vectors');
    try {
      const notebook = await openTempNotebook();
      // Notes written elsewhere (another notebook), arriving as updates: the projections catch up in batches.
      const source = await openTempNotebook();
      const kite = await source.engagements.create({ client: 'Acme', codename: 'KITE', ceiling: 'SECRET' });
      await source.notes.createMany(corpus(kite.id, 250));
      const ids = await source.docs.listDocIds('note');
      const incoming = [];
      for (const docId of ids) incoming.push({ docId, update: (await source.docs.diffSince(docId))?.update as Uint8Array });
      compute.mockClear();
      await notebook.docs.importUpdates(incoming, { deviceId: 'other-device', bundleId: null }, { describe: () => null });
      await notebook.docs.flush();
      const answered = await Promise.all(compute.mock.results.map((result) => result.value));
      expect(answered.filter((vectors) => vectors !== null).length).toBeGreaterThanOrEqual(2);
      expect(await differing(notebook)).toEqual([]);
      const found = await notebook.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notes WHERE search @@ to_tsquery('english', 'step')`,
      );
      expect(found.rows[0]?.n).toBe(250);
    } finally {
      compute.mockRestore();
    }
  });

  it('falls back to the notebook database when the worker cannot help, with the same vectors', async () => {
    const compute = vi.spyOn(bulkWorker, 'vectors').mockResolvedValue(null);
    const build = vi.spyOn(bulkWorker, 'buildNotes').mockResolvedValue(null);
    try {
      const notebook = await openTempNotebook();
      const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
      await notebook.notes.createMany(corpus(heron.id, 220));
      expect(compute).toHaveBeenCalled();
      expect(build).toHaveBeenCalled();
      expect(await notebook.checkProjections()).toEqual([]);
      expect((await notebook.notes.list({ engagementId: heron.id, limit: 5000 })).notes).toHaveLength(220);
      expect(await differing(notebook)).toEqual([]);
      expect((await notebook.notes.search('lastword0')).length).toBe(1);
      expect(await notebook.notes.search('beyondword1')).toEqual([]);
    } finally {
      compute.mockRestore();
      build.mockRestore();
    }
  });

  it('answers null, never throws, when the worker is missing, too small a batch, or dies mid-batch', async () => {
    const notes = Array.from({ length: 25 }, (_, i) => ({ title: `t${i}`, tags: [], body: 'scanner timeout' }));
    expect(await new BulkWorker(null).vectors(notes)).toBeNull();
    expect(await new BulkWorker(null).whenReady()).toBe(false);

    const worker = new BulkWorker();
    expect(await worker.vectors(notes.slice(0, 5))).toBeNull(); // below the batch size worth the hop
    expect(await worker.whenReady()).toBe(true);
    const vectors = await worker.vectors(notes);
    expect(vectors).toHaveLength(25);
    expect(vectors?.[0]?.[0]).toBe("'scanner':2C 't0':1A 'timeout':3C");
    // A part asked for projections the worker does not know is declined (built by the caller).
    const specs = notesToBuild();
    expect(await worker.buildNotes(specs, ['notes', 'no_such_table'], '2026-12-04T00:00:00.000Z')).toBeNull();
    const built = await worker.buildNotes(specs, ['notes'], '2026-12-04T00:00:00.000Z');
    expect(built?.map((note) => note.docId)).toEqual(specs.map((s) => s.docId));
    expect(built?.[3]?.rows[0]).toMatchObject({
      title: 'Pump 3',
      body: 'pressure dropped\nORA-12170: TNS:Connect timeout occurred',
      updated_at: '2026-12-04T00:00:00.000Z',
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, built?.[3]?.update as Uint8Array);
    expect(noteMetaMap(doc).get('title')).toBe('Pump 3');
    // A batch in flight when the worker goes answers null (the caller computes it itself).
    const inFlight = worker.vectors(Array.from({ length: 400 }, (_, i) => ({ title: `t${i}`, tags: [], body: 'word '.repeat(20_000) })));
    await worker.stop();
    expect(await inFlight).toBeNull();
  });

  it('leaves a document owed when its log grew while the catch-up was writing it, and projects it again', async () => {
    const notebook = await openTempNotebook();
    const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
    const note = await notebook.notes.create({ engagementId: heron.id, type: 'general', title: 'Before', markdown: 'text' });
    await notebook.docs.flush();
    const docId = docIdFor('note', note.id);
    // Not live: the catch-up reads it from the log.
    await notebook.docs.close();
    await notebook.db.query('INSERT INTO projection_backlog (doc_id) VALUES ($1)', [docId]);

    // Right after the catch-up read it, another writer logs a new title.
    const load = notebook.docs.loadManyFromLog.bind(notebook.docs);
    let injected = false;
    const spy = vi.spyOn(notebook.docs, 'loadManyFromLog').mockImplementation(async (ids, db) => {
      const loaded = await load(ids, db);
      const copy = loaded.get(docId);
      if (!injected && copy) {
        injected = true;
        const later = new Y.Doc();
        Y.applyUpdate(later, Y.encodeStateAsUpdate(copy.doc));
        const before = Y.encodeStateVector(later);
        noteMetaMap(later).set('title', 'After');
        await (db ?? notebook.db).query('INSERT INTO doc_updates (doc_id, data, device_id) VALUES ($1, $2, $3)', [
          docId,
          Y.encodeStateAsUpdate(later, before),
          'another-writer',
        ]);
      }
      return loaded;
    });
    try {
      await notebook.docs.catchUpProjections();
    } finally {
      spy.mockRestore();
    }
    expect(injected).toBe(true);
    const row = (await noteProjection.readAll(notebook.db)).find((r) => r.id === note.id);
    expect(row?.title).toBe('After');
    expect((await notebook.db.query('SELECT 1 FROM projection_backlog')).rows).toHaveLength(0);
  });
});
