import { describe, expect, it } from 'vitest';
import { noteProjection } from '../../../electron/notes/note-projection';
import { docIdFor } from '../../../shared/ids';
import { noteBody } from '../../../shared/notes/doc';
import { openTempNotebook } from '../../helpers/notebook';

/**
 * Notes written together (createMany, the backlog, a rebuild) go through `writeMany`: one JSON
 * statement for the rows, two for their links. It must store exactly what `write` stores row by row.
 */
describe('note projection, many rows at once', () => {
  it('stores the same rows and links as one-by-one writes, and a rebuild (GIN indexes dropped and rebuilt) finds them again', async () => {
    const notebook = await openTempNotebook();
    const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'SECRET' });
    const target = await notebook.notes.create({ engagementId: heron.id, type: 'general', title: 'Pump station' });
    await notebook.notes.createMany([
      {
        engagementId: heron.id,
        type: 'runbook',
        title: 'Ré-démarrage « SAP » — 再起動',
        tags: ['odbc', 'nœud', '東京'],
        classification: 'CONFIDENTIAL',
        markdown: `Quotes ' " \\ and $1 stay text; the ODBC timeout was 30 s.\n`,
      },
      { engagementId: heron.id, type: 'incident', title: 'Empty tags', tags: [], markdown: 'scanner froze at dawn' },
    ]);
    // A link, inserted the way the editor does (an inline noteLink node), so the rebuild writes one.
    const incidentId = (await noteProjection.readAll(notebook.db)).find((row) => row.type === 'incident')?.id as string;
    const doc = await notebook.docs.open(docIdFor('note', incidentId));
    const { prosemirrorJSONToYXmlFragment } = await import('@tiptap/y-tiptap');
    const { noteSchema } = await import('../../../shared/notes/schema');
    doc.transact(() => {
      prosemirrorJSONToYXmlFragment(
        noteSchema(),
        {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: 'scanner froze at dawn, see ' },
                { type: 'noteLink', attrs: { id: target.id, label: 'Pump station' } },
              ],
            },
          ],
        },
        noteBody(doc),
      );
    });
    await notebook.docs.flush();
    const batched = await noteProjection.readAll(notebook.db);
    expect(batched).toHaveLength(3);
    const runbook = batched.find((row) => row.type === 'runbook');
    expect(runbook).toMatchObject({ tags: ['nœud', 'odbc', '東京'], classification: 'CONFIDENTIAL', pinned: false, links: [] });
    expect(batched.find((row) => row.type === 'incident')?.links).toEqual([target.id]);
    expect(runbook?.body).toContain(`Quotes ' " \\ and $1 stay text`);

    // The same rows written one by one, in a transaction rolled back: identical.
    await notebook.db
      .transaction(async (tx) => {
        await noteProjection.clear(tx);
        for (const row of batched) await noteProjection.write(tx, row);
        expect(await noteProjection.readAll(tx)).toEqual(batched);
        await tx.rollback();
      })
      .catch((error: Error) => {
        if (!/rollback/i.test(error.message)) throw error;
      });

    const report = await notebook.rebuildProjections();
    expect(report.find((r) => r.table === 'notes')?.rows).toBe(3);
    expect(await noteProjection.readAll(notebook.db)).toEqual(batched);
    expect(await notebook.checkProjections()).toEqual([]);
    const indexes = await notebook.db.query<{ indexname: string }>(
      "SELECT indexname FROM pg_indexes WHERE tablename = 'notes' AND indexdef LIKE '% USING gin %' ORDER BY 1",
    );
    expect(indexes.rows.map((r) => r.indexname)).toEqual(['notes_by_attachment', 'notes_head', 'notes_search', 'notes_tags']);
    expect((await notebook.notes.search('再起動 OR odbc')).map((hit) => hit.note.title)).toContain('Ré-démarrage « SAP » — 再起動');
    expect((await notebook.notes.search('scanner')).map((hit) => hit.note.title)).toEqual(['Empty tags']);
    await notebook.close();
  });
});
