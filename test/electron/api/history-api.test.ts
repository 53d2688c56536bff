import { describe, expect, it } from 'vitest';
import { ApiServer } from '../../../electron/api/api-server';
import { capDiff } from '../../../electron/api/history-handlers';
import type { Result } from '../../../shared/errors';
import { docIdFor } from '../../../shared/ids';
import type { NoteVersionEntry } from '../../../shared/notes/calls';
import { appendParagraph } from '../../../shared/notes/doc';
import type { DiffPart } from '../../../shared/notes/history';
import type { NoteSummary } from '../../../shared/notes/model';
import { openTempNotebook } from '../../helpers/notebook';

function value<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('note history over the API', () => {
  it('lists versions, diffs two, restores an earlier one as a new edit and tells lists to refresh', async () => {
    const notebook = await openTempNotebook();
    const events: Array<{ name: string; payload: unknown }> = [];
    const session = new ApiServer(notebook).connect((name, payload) => events.push({ name, payload }));
    const heron = await notebook.engagements.create({ client: 'Acme', codename: 'HERON', ceiling: 'CUI' });
    const note = value<NoteSummary>(
      await session.call('notes.create', { engagementId: heron.id, type: 'general', title: 'Pump log', markdown: 'Valve 3 sticks.' }),
    );
    const [created] = value<{ versions: NoteVersionEntry[] }>(await session.call('notes.history', { id: note.id })).versions;
    expect(created).toMatchObject({ kind: 'session', source: notebook.device.name, bundleId: null });

    const doc = await notebook.docs.open(docIdFor('note', note.id));
    appendParagraph(doc, 'Replaced the seal.');
    value(await session.call('notes.update', { id: note.id, patch: { title: 'Pump log: valve 3' } }));
    const { versions } = value<{ versions: NoteVersionEntry[] }>(await session.call('notes.history', { id: note.id }));
    const latest = versions[0]?.upto as number;
    expect(latest).toBeGreaterThan(created?.upto as number);

    const diff = value<{ parts: DiffPart[]; truncated: boolean }>(
      await session.call('notes.diff', { id: note.id, from: created?.upto, to: latest }),
    );
    expect(diff.truncated).toBe(false);
    const text = (kind: DiffPart['kind']) =>
      diff.parts
        .filter((p) => p.kind === kind)
        .map((p) => p.text)
        .join('');
    expect(text('added')).toContain('Replaced the seal.');
    expect(text('added')).toContain('# Pump log: valve 3');
    expect(text('removed')).toContain('# Pump log\n');

    events.length = 0;
    const restored = value<NoteSummary>(await session.call('notes.restore', { id: note.id, upto: created?.upto }));
    expect(restored.title).toBe('Pump log');
    expect(await notebook.notes.markdown(note.id)).not.toContain('Replaced the seal.');
    expect(events.some((e) => e.name === 'notes.changed' && (e.payload as { ids: string[] }).ids.includes(note.id))).toBe(true);
    // Nothing is lost: the restore is a later edit, and the restored-over text is still in the history.
    const after = value<{ versions: NoteVersionEntry[] }>(await session.call('notes.history', { id: note.id })).versions;
    expect(after[0]?.upto).toBeGreaterThan(latest);
    expect((await notebook.history.at(note.id, latest)).markdown).toContain('Replaced the seal.');
  });

  it('refuses bad requests and unknown notes', async () => {
    const notebook = await openTempNotebook();
    const session = new ApiServer(notebook).connect(() => {});
    const missing = '00000000-0000-4000-8000-000000000000';
    const history = await session.call('notes.history', { id: missing });
    expect(history.ok || history.error.code).toBe('not_found');
    const badUpto = await session.call('notes.restore', { id: missing, upto: 0 });
    expect(badUpto.ok || badUpto.error.code).toBe('invalid_request');
    const extra = await session.call('notes.diff', { id: missing, from: 1, to: 2, context: 3 });
    expect(extra.ok || extra.error.code).toBe('invalid_request');
  });

  it('caps the text of a diff sent to the renderer', () => {
    const parts: DiffPart[] = [
      { kind: 'same', text: 'a\n'.repeat(5) },
      { kind: 'removed', text: 'b\n'.repeat(5) },
      { kind: 'added', text: 'c\n' },
    ];
    expect(capDiff(parts, 100)).toEqual({ parts, truncated: false });
    expect(capDiff(parts, 14)).toEqual({
      parts: [parts[0], { kind: 'removed', text: 'b\nb\n' }],
      truncated: true,
    });
    expect(capDiff(parts, 100, 2)).toEqual({ parts: parts.slice(0, 2), truncated: true });
  });
});
