import { describe, expect, it } from 'vitest';
import { noteProjection } from '../../../electron/notes/note-projection';
import { docIdFor } from '../../../shared/ids';
import { applyNotePatch, bodyFacts, noteBody } from '../../../shared/notes/doc';
import { SNIPPET_START, SNIPPET_STOP } from '../../../shared/notes/model';
import { openTempNotebook } from '../../helpers/notebook';

async function withEngagement() {
  const notebook = await openTempNotebook();
  const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CONFIDENTIAL' });
  const kestrel = await notebook.engagements.create({ client: 'Borealis', codename: 'KESTREL', ceiling: 'CUI' });
  return { notebook, heron, kestrel };
}

describe('NoteService', () => {
  it('creates notes from a template or from Markdown, authored by this device', async () => {
    const { notebook, heron } = await withEngagement();
    const incident = await notebook.notes.create({ engagementId: heron.id, type: 'incident' });
    expect(incident).toMatchObject({ type: 'incident', classification: 'UNCLASSIFIED', authorName: notebook.device.name });
    expect(incident.title).toMatch(/^Incident \d{4}-\d{2}-\d{2}$/);
    expect(await notebook.notes.markdown(incident.id)).toContain('## Root cause');

    const fromMd = await notebook.notes.create({
      engagementId: heron.id,
      type: 'runbook',
      title: 'Restart the bridge',
      markdown: '1. stop\n2. start\n',
    });
    expect(fromMd.words).toBe(2);
    expect(await notebook.notes.markdown(fromMd.id)).toBe('1. stop\n2. start\n');
  });

  it('never marks a note above its engagement’s ceiling, and writes nothing on refusal', async () => {
    const { notebook, kestrel } = await withEngagement();
    await expect(notebook.notes.create({ engagementId: kestrel.id, type: 'general', classification: 'SECRET' })).rejects.toThrow(
      /ceiling is CUI/,
    );
    await expect(notebook.notes.create({ engagementId: kestrel.id, type: 'general', classification: 'BOGUS' })).rejects.toThrow(
      /Unknown classification/,
    );
    await expect(notebook.notes.create({ engagementId: '00000000-0000-4000-8000-000000000000', type: 'general' })).rejects.toThrow(
      /No engagement/,
    );
    const note = await notebook.notes.create({ engagementId: kestrel.id, type: 'general', classification: 'CUI' });
    await expect(notebook.notes.update(note.id, { classification: 'CONFIDENTIAL' })).rejects.toThrow(/ceiling is CUI/);
    const docs = await notebook.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM docs WHERE kind = 'note'`);
    expect(docs.rows[0]?.n).toBe(1);
  });

  it('lists with filters, pinned first, and counts per type and tag', async () => {
    const { notebook, heron, kestrel } = await withEngagement();
    const mk = (type: 'incident' | 'decision' | 'meeting', title: string, tags: string[], engagementId = heron.id) =>
      notebook.notes.create({ engagementId, type, title, tags, markdown: title });
    await mk('incident', 'ODBC timeout', ['erp', 'odbc']);
    const decision = await mk('decision', 'Use SFTP drop', ['erp']);
    await mk('meeting', 'Weekly sync', []);
    await mk('incident', 'Other engagement', ['erp'], kestrel.id);
    await notebook.notes.update(decision.id, { pinned: true });

    const all = await notebook.notes.list({ engagementId: heron.id });
    expect(all.notes.map((n) => n.title)[0]).toBe('Use SFTP drop');
    expect(all.counts).toEqual({
      total: 3,
      byType: { incident: 1, decision: 1, meeting: 1 },
      tags: [
        { tag: 'erp', count: 2 },
        { tag: 'odbc', count: 1 },
      ],
    });
    const incidents = await notebook.notes.list({ engagementId: heron.id, types: ['incident'] });
    expect(incidents.notes.map((n) => n.title)).toEqual(['ODBC timeout']);
    expect(incidents.counts.total).toBe(3);
    expect((await notebook.notes.list({ tag: 'ERP', sort: 'title' })).notes.map((n) => n.title)).toEqual([
      'Use SFTP drop',
      'ODBC timeout',
      'Other engagement',
    ]);
  });

  it('searches with ranking, prefixes, web syntax, filters and highlighted snippets', async () => {
    const { notebook, heron, kestrel } = await withEngagement();
    const title = await notebook.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: 'ODBC timeout on the ERP bridge',
      markdown: 'Pick waves stall.',
    });
    const body = await notebook.notes.create({
      engagementId: heron.id,
      type: 'meeting',
      title: 'Weekly',
      markdown: 'We discussed many things. The ODBC driver was mentioned once among the long list of topics.',
    });
    await notebook.notes.create({
      engagementId: kestrel.id,
      type: 'decision',
      title: 'SFTP or EDI',
      markdown: 'EDI X12 over SFTP drops with a timeout of 30 s.',
    });

    const hits = await notebook.notes.search('odbc');
    expect(hits.map((h) => h.note.id)).toEqual([title.id, body.id]);
    expect(hits[0]?.engagementCodename).toBe('HERON');
    expect(hits[1]?.snippet).toContain(`${SNIPPET_START}ODBC${SNIPPET_STOP}`);

    expect((await notebook.notes.search('time')).length).toBe(2);
    expect((await notebook.notes.search('timeouts')).length).toBe(2);
    expect((await notebook.notes.search('"pick waves"')).map((h) => h.note.id)).toEqual([title.id]);
    expect((await notebook.notes.search('odbc -weekly')).map((h) => h.note.id)).toEqual([title.id]);
    expect((await notebook.notes.search('stall or x12')).length).toBe(2);
    expect((await notebook.notes.search('timeout', { engagementId: kestrel.id })).length).toBe(1);
    expect((await notebook.notes.search('timeout', { types: ['incident'] })).length).toBe(1);

    for (const query of ['"""', '&&&', '()', ':*', "'", '-', 'or', 'the']) expect(await notebook.notes.search(query)).toEqual([]);
  });

  it('finds a phrase only where its words stand together, and cuts the snippet around a match deep in a long body', async () => {
    const { notebook, heron } = await withEngagement();
    const together = await notebook.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: 'Stalls',
      markdown: 'The dead letter queue filled overnight.',
    });
    await notebook.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: 'Apart',
      markdown: 'A letter arrived; the queue was dead quiet.',
    });
    expect((await notebook.notes.search('"dead letter queue"')).map((h) => h.note.id)).toEqual([together.id]);

    const filler = 'Nothing of note happened on the dock this hour. '.repeat(400); // ≈ 19,600 characters
    const deep = await notebook.notes.create({
      engagementId: heron.id,
      type: 'field-log',
      title: 'Long shift',
      markdown: `${filler}\n\nThe Kepware gateway dropped its OPC-UA session at 14:02.`,
    });
    const [hit] = await notebook.notes.search('kepware');
    expect(hit?.note.id).toBe(deep.id);
    expect(hit?.snippet).toContain(`${SNIPPET_START}Kepware${SNIPPET_STOP}`);
  });

  it('never loses a note titled with the word to the cap on recent body matches', async () => {
    const { notebook, heron } = await withEngagement();
    const titled = await notebook.notes.create({
      engagementId: heron.id,
      type: 'runbook',
      title: 'Scanner reset',
      markdown: 'Hold the trigger.',
    });
    // More recent notes that only mention the word in passing than search ranks by recency.
    const passing = Array.from({ length: 520 }, (_, i) => ({
      engagementId: heron.id,
      type: 'field-log' as const,
      title: `Shift ${i}`,
      markdown: `Dock ${i}: one scanner was slow today.`,
    }));
    await notebook.notes.createMany(passing);
    const hits = await notebook.notes.search('scanner');
    expect(hits[0]?.note.id).toBe(titled.id);
    expect(hits).toHaveLength(20);
  });

  it('searches Arabic, Japanese and emoji text without failing', async () => {
    const { notebook, heron } = await withEngagement();
    await notebook.notes.create({
      engagementId: heron.id,
      type: 'general',
      title: 'مستودع الرياض',
      markdown: '倉庫 の ピッキング 🚚 delayed',
    });
    expect((await notebook.notes.search('مستودع')).length).toBe(1);
    expect((await notebook.notes.search('倉庫')).length).toBe(1);
    expect(await notebook.notes.search('🚚')).toEqual([]);
  });

  it('tracks [[links]] by id: backlinks survive a rename of the target', async () => {
    const { notebook, heron } = await withEngagement();
    const target = await notebook.notes.create({ engagementId: heron.id, type: 'runbook', title: 'Restart the bridge' });
    const source = await notebook.notes.create({ engagementId: heron.id, type: 'incident', title: 'Outage' });
    const doc = await notebook.docs.open(docIdFor('note', source.id));
    await notebook.notes.update(target.id, { title: 'Restart the ERP bridge' });
    // Insert a link the way the editor does: an inline noteLink node in the body.
    const { prosemirrorJSONToYXmlFragment } = await import('@tiptap/y-tiptap');
    const { noteSchema } = await import('../../../shared/notes/schema');
    doc.transact(() => {
      const fragment = noteBody(doc);
      fragment.delete(0, fragment.length);
      prosemirrorJSONToYXmlFragment(
        noteSchema(),
        {
          type: 'doc',
          content: [{ type: 'paragraph', content: [{ type: 'noteLink', attrs: { id: target.id, label: 'Restart the bridge' } }] }],
        },
        fragment,
      );
    });
    await notebook.docs.flush();
    expect(bodyFacts(noteBody(doc)).links).toEqual([target.id]);
    expect((await notebook.notes.backlinks(target.id)).map((n) => n.title)).toEqual(['Outage']);
  });

  it('projects a note being edited only after the typing pauses, and on flush', async () => {
    const { notebook, heron } = await withEngagement();
    const note = await notebook.notes.create({ engagementId: heron.id, type: 'general', title: 'Draft' });
    const doc = await notebook.docs.open(docIdFor('note', note.id));
    applyNotePatch(doc, { title: 'Draft two' });
    await notebook.docs.flush(docIdFor('note', note.id), { projections: false });
    const logged = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM doc_updates WHERE doc_id = $1', [
      docIdFor('note', note.id),
    ]);
    expect(logged.rows[0]?.n).toBe(2);
    expect((await notebook.notes.list({})).notes[0]?.title).toBe('Draft');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await notebook.notes.list({})).notes[0]?.title).toBe('Draft two');
  });

  it('finds or creates today’s field log, and appends to it', async () => {
    const { notebook, heron } = await withEngagement();
    const first = await notebook.notes.fieldLog(heron.id, '2026-11-29');
    const again = await notebook.notes.fieldLog(heron.id, '2026-11-29');
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ type: 'field-log', title: 'Field log 2026-11-29' });
    await notebook.notes.append(first.id, '09:00 — on site');
    expect(await notebook.notes.markdown(first.id)).toContain('09:00 — on site');
  });

  it('rebuilds the notes projection (text, search vector, links) to the same rows', async () => {
    const { notebook, heron } = await withEngagement();
    for (let i = 0; i < 8; i++) {
      await notebook.notes.create({
        engagementId: heron.id,
        type: i % 2 ? 'incident' : 'meeting',
        title: `Note ${i}`,
        tags: [`t${i % 3}`],
        markdown: `body ${i} text`,
      });
    }
    await notebook.docs.flush();
    const before = await noteProjection.readAll(notebook.db);
    await notebook.db.query(`UPDATE notes SET body = 'tampered', words = 0`);
    const problems = await notebook.checkProjections();
    // Each row differs from its log, and its stored vectors no longer match its (tampered) text.
    expect(problems.filter((p) => p.endsWith('differs from its update log'))).toHaveLength(8);
    expect(problems.filter((p) => p.endsWith('has search vectors that differ from its text'))).toHaveLength(8);
    expect(problems).toHaveLength(16);
    await notebook.rebuildProjections();
    expect(await noteProjection.readAll(notebook.db)).toEqual(before);
    expect((await notebook.notes.search('text')).length).toBe(8);
    expect(await notebook.checkProjections()).toEqual([]);
  });
});
