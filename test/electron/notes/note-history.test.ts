import { describe, expect, it } from 'vitest';
import { docIdFor } from '../../../shared/ids';
import { appendParagraph } from '../../../shared/notes/doc';
import { openTempNotebook } from '../../helpers/notebook';

describe('note history', () => {
  it('lists versions, shows a note as of one, diffs two, and restores one as a new edit', async () => {
    const notebook = await openTempNotebook();
    const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const note = await notebook.notes.create({
      engagementId: heron.id,
      type: 'incident',
      title: 'Late picks',
      markdown: 'First finding.\n\nSecond finding.',
    });
    const [created] = await notebook.history.versions(note.id);
    expect(created).toMatchObject({ kind: 'session', source: notebook.device.name });

    // Later edits by this device (same session: they follow within minutes).
    const doc = await notebook.docs.open(docIdFor('note', note.id));
    appendParagraph(doc, 'Third finding.');
    await notebook.notes.update(note.id, { title: 'Late picks — root cause' });
    await notebook.docs.flush();
    const versions = await notebook.history.versions(note.id);
    const latest = versions[0]?.upto as number;
    expect(latest).toBeGreaterThan(created?.upto as number);

    const first = await notebook.history.at(note.id, created?.upto as number);
    expect(first).toMatchObject({ title: 'Late picks' });
    expect(first.markdown).not.toContain('Third finding.');

    const diff = await notebook.history.diff(note.id, created?.upto as number, latest);
    expect(
      diff
        .filter((p) => p.kind === 'added')
        .map((p) => p.text)
        .join(''),
    ).toContain('Third finding.');
    expect(
      diff
        .filter((p) => p.kind === 'removed')
        .map((p) => p.text)
        .join(''),
    ).toContain('# Late picks\n');

    await notebook.history.restore(note.id, created?.upto as number);
    expect((await notebook.notes.summary(note.id)).title).toBe('Late picks');
    expect(await notebook.notes.markdown(note.id)).toBe(first.markdown);
    // The restore is an edit of its own: nothing of the history is lost.
    const after = await notebook.history.versions(note.id);
    expect(after[0]?.upto).toBeGreaterThan(latest);
    expect((await notebook.history.at(note.id, latest)).markdown).toContain('Third finding.');
    await expect(notebook.history.at(note.id, 0)).rejects.toMatchObject({ code: 'not_found' });
  });
});
