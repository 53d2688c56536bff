import { type FormEvent, useCallback, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { NOTE_SORTS, NOTE_TYPE_LABELS, NOTE_TYPES, type NoteSort, type NoteType } from '../../shared/notes/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { navigate, noteHref } from '../app/use-hash-route';
import { ImportNotesDialog } from '../import/ImportNotesDialog';
import { levelsUpTo } from './classification-options';

const SORT_LABELS: Record<NoteSort, string> = { updated: 'Recently updated', created: 'Recently created', title: 'Title' };

/** The engagement's notes: facet counts, filters, sorting, and "New note" by type. */
export function NotesPane({ engagement }: { engagement: EngagementSummary }) {
  const { api, info } = useOutpost();
  const [type, setType] = useState<NoteType | ''>('');
  const [tag, setTag] = useState('');
  const [classification, setClassification] = useState('');
  const [sort, setSort] = useState<NoteSort>('updated');
  const [error, setError] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);

  const load = useCallback(
    () =>
      api.call('notes.list', {
        engagementId: engagement.id,
        sort,
        ...(type && { types: [type] }),
        ...(tag && { tag }),
        ...(classification && { classification }),
      }),
    [api, engagement.id, sort, type, tag, classification],
  );
  const { data, error: loadError } = useApiQuery(load, ['notes.changed']);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = String(new FormData(event.currentTarget).get('newType')) as NoteType;
    try {
      const note = await api.call('notes.create', { engagementId: engagement.id, type: chosen });
      navigate(noteHref(engagement.id, note.id));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const counts = data?.counts;
  return (
    <section className="notes-pane" aria-label="Notes">
      <form className="new-note" onSubmit={create}>
        <label>
          <span>New note of type</span>
          <select aria-label="New note type" name="newType" defaultValue="field-log">
            {NOTE_TYPES.map((t) => (
              <option key={t} value={t}>
                {NOTE_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          New note
        </button>
        <button type="button" onClick={() => setImporting(true)}>
          Import notes…
        </button>
      </form>
      {importing && <ImportNotesDialog engagement={engagement} onClose={() => setImporting(false)} />}
      {(error || loadError) && (
        <p role="alert" className="error">
          {error ?? loadError}
        </p>
      )}
      <div className="note-filters">
        <fieldset className="type-facets">
          <legend>Type</legend>
          <label className={type === '' ? 'chip selected' : 'chip'}>
            <input type="radio" name="type" checked={type === ''} onChange={() => setType('')} />
            All ({counts?.total ?? 0})
          </label>
          {NOTE_TYPES.map((t) => (
            <label key={t} className={type === t ? 'chip selected' : 'chip'}>
              <input type="radio" name="type" checked={type === t} onChange={() => setType(t)} />
              {NOTE_TYPE_LABELS[t]} ({counts?.byType[t] ?? 0})
            </label>
          ))}
        </fieldset>
        <label>
          <span>Tag</span>
          <select aria-label="Tag" value={tag} onChange={(e) => setTag(e.target.value)}>
            <option value="">Any tag</option>
            {counts?.tags.map(({ tag: t, count }) => (
              <option key={t} value={t}>
                {t} ({count})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Classification</span>
          <select aria-label="Classification" value={classification} onChange={(e) => setClassification(e.target.value)}>
            <option value="">Any</option>
            {levelsUpTo(info.classificationLevels, engagement.ceiling).map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Sort</span>
          <select aria-label="Sort notes" value={sort} onChange={(e) => setSort(e.target.value as NoteSort)}>
            {NOTE_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {data && data.notes.length === 0 && (
        <p className="muted">
          {counts?.total ? 'No note matches these filters.' : 'No notes yet. Pick a type above and press “New note”.'}
        </p>
      )}
      <ul className="note-list" aria-label="Notes of this engagement">
        {data?.notes.map((note) => (
          <li key={note.id}>
            <a href={noteHref(engagement.id, note.id)}>
              <span className="note-title">
                {note.pinned && <span title="Pinned">★ </span>}
                {note.title || 'Untitled'}
              </span>
              <span className="note-meta">
                {NOTE_TYPE_LABELS[note.type]} · {note.classification} · {note.words} words · {new Date(note.updatedAt).toLocaleString()}
              </span>
              {note.tags.length > 0 && <span className="note-tags">{note.tags.map((t) => `#${t}`).join(' ')}</span>}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
