import { describe, expect, it } from 'vitest';
import { Notebook } from '../../../electron/notebook/notebook';
import { docIdFor } from '../../../shared/ids';
import { applyNotePatch } from '../../../shared/notes/doc';
import { migratedTemplate, openTempNotebook, tempDir } from '../../helpers/notebook';

async function count(notebook: Notebook, sql: string, params: unknown[] = []): Promise<number> {
  const result = await notebook.db.query<{ n: number }>(sql, params);
  return Number(result.rows[0]?.n ?? 0);
}

describe('projection backlog', () => {
  it('records a deferred note projection on disk with the update, and clears it once the projection is written', async () => {
    const notebook = await openTempNotebook();
    try {
      const engagement = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
      const note = await notebook.notes.create({ engagementId: engagement.id, type: 'field-log', title: 'Shift 1' });
      const docId = docIdFor('note', note.id);
      applyNotePatch(await notebook.docs.open(docId), { title: 'Shift 1, night' });
      // The update is logged at once; the projection waits for typing to pause.
      await notebook.docs.flush(docId, { projections: false });
      expect(await count(notebook, 'SELECT count(*)::int AS n FROM projection_backlog WHERE doc_id = $1', [docId])).toBe(1);
      const row = await notebook.db.query<{ title: string }>('SELECT title FROM notes WHERE id = $1', [note.id]);
      expect(row.rows[0]?.title).toBe('Shift 1');
      await notebook.docs.flush(docId);
      expect(await count(notebook, 'SELECT count(*)::int AS n FROM projection_backlog')).toBe(0);
      expect((await notebook.notes.summary(note.id)).title).toBe('Shift 1, night');
    } finally {
      await notebook.close();
    }
  });

  it('writes projections a crash left owed when the notebook next opens, and lists hear of them', async () => {
    const dir = tempDir();
    // Opened without the helper: this notebook "crashes" and is never closed.
    const notebook = await Notebook.open(dir, { kind: 'test', template: migratedTemplate() });
    const engagement = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
    const note = await notebook.notes.create({ engagementId: engagement.id, type: 'incident', title: 'Late picks' });
    const docId = docIdFor('note', note.id);
    // As a crash between the commit and the projection leaves it: a title in the log, an old row
    // in the projection, and the document in the backlog.
    applyNotePatch(await notebook.docs.open(docId), { title: 'Late picks at wave release' });
    await notebook.docs.flush(docId, { projections: false });
    await notebook.db.query('DELETE FROM notes WHERE id = $1', [note.id]);
    await notebook.db.query('INSERT INTO projection_backlog (doc_id) VALUES ($1), ($2) ON CONFLICT DO NOTHING', [
      docId,
      docIdFor('engagement', engagement.id),
    ]);
    await notebook.db.query("UPDATE engagements SET codename = 'STALE' WHERE id = $1", [engagement.id]);
    // Simulate the crash: close the database without the store's own flush.
    await notebook.db.close();
    (notebook as unknown as { lock: { release(): void } }).lock.release();

    const reopened = await Notebook.open(dir, { kind: 'test' });
    try {
      const heard: string[] = [];
      reopened.docs.onChange((id) => heard.push(id));
      await reopened.docs.flush();
      expect(await count(reopened, 'SELECT count(*)::int AS n FROM projection_backlog')).toBe(0);
      expect((await reopened.notes.summary(note.id)).title).toBe('Late picks at wave release');
      expect((await reopened.engagements.get(engagement.id)).codename).toBe('HERON');
      expect(await reopened.checkProjections()).toEqual([]);
      // The catch-up may have finished before the listener was added; if not, it told it.
      if (heard.length) expect(heard).toEqual(expect.arrayContaining([docId]));
    } finally {
      await reopened.close();
    }
  });

  it('flushing one document writes its owed projection without waiting for the rest of the backlog', async () => {
    const notebook = await openTempNotebook();
    try {
      const engagement = await notebook.engagements.create({ client: 'Acme', codename: 'HERON' });
      const notes = [];
      for (let i = 0; i < 30; i++)
        notes.push(await notebook.notes.create({ engagementId: engagement.id, type: 'field-log', title: `Shift ${i}` }));
      await notebook.docs.flush();
      // As an import leaves them: every note owed, and the rows stale.
      await notebook.db.query("UPDATE notes SET title = 'stale'");
      const ids = notes.map((n) => docIdFor('note', n.id));
      await notebook.db.query('INSERT INTO projection_backlog (doc_id) SELECT unnest($1::text[])', [ids]);
      const last = notes[notes.length - 1];
      if (!last) throw new Error('no notes');
      // No catch-up runs: flush(docId) must write this one document itself.
      await notebook.docs.flush(docIdFor('note', last.id));
      expect((await notebook.db.query<{ title: string }>('SELECT title FROM notes WHERE id = $1', [last.id])).rows[0]?.title).toBe(
        'Shift 29',
      );
      expect(await count(notebook, 'SELECT count(*)::int AS n FROM projection_backlog')).toBe(29);
      expect(await count(notebook, "SELECT count(*)::int AS n FROM notes WHERE title = 'stale'")).toBe(29);
      await notebook.docs.catchUpProjections();
      await notebook.docs.flush();
      expect(await count(notebook, "SELECT count(*)::int AS n FROM notes WHERE title = 'stale'")).toBe(0);
      expect(await notebook.checkProjections()).toEqual([]);
    } finally {
      await notebook.close();
    }
  });
});
