import type { Editor } from '@tiptap/core';
import { useCallback, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { EngagementSummary } from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { applyNotePatch, noteMetaMap, noteTagsMap, readNoteMeta } from '../../shared/notes/doc';
import { NOTE_TYPE_LABELS, NOTE_TYPES, type NoteMeta, type NotePatch, type NoteType } from '../../shared/notes/model';
import { useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { engagementHref, noteHref } from '../app/use-hash-route';
import { useTypedDraft } from '../app/use-typed-draft';
import { IncidentTimelinePanel } from '../debugging/IncidentTimelinePanel';
import { SeenBeforePanel } from '../debugging/SeenBeforePanel';
import { TurnIntoLessonButton } from '../lessons/TurnIntoLessonButton';
import { AlsoEditing } from '../sync/AlsoEditing';
import { SyncBadge } from '../sync/SyncBadge';
import { appendCaptureLine } from './capture';
import { levelsUpTo } from './classification-options';
import { NoteEditor } from './NoteEditor';
import { NoteHistoryDialog } from './NoteHistoryDialog';

const sameMeta = (a: NoteMeta, b: NoteMeta) =>
  (Object.keys(a) as Array<keyof NoteMeta>).every((key) =>
    key === 'tags' ? a.tags.length === b.tags.length && a.tags.every((tag, i) => tag === b.tags[i]) : a[key] === b[key],
  );

/**
 * The note's metadata, re-read when its metadata or tags change (not on every keystroke in the
 * body), the same object while nothing in it changed. Through useSyncExternalStore, React renders
 * a change in the same task: when the replica's local copy loads, the note's editor is created
 * right away, not one scheduler turn (often a frame or more) later.
 */
function useNoteMeta(doc: Y.Doc | null): NoteMeta | null {
  const last = useRef<{ doc: Y.Doc; meta: NoteMeta } | null>(null);
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!doc) return () => {};
      const meta = noteMetaMap(doc);
      const tags = noteTagsMap(doc);
      meta.observe(onChange);
      tags.observe(onChange);
      return () => {
        meta.unobserve(onChange);
        tags.unobserve(onChange);
      };
    },
    [doc],
  );
  return useSyncExternalStore(subscribe, () => {
    if (!doc) return null;
    const meta = readNoteMeta(doc);
    if (last.current?.doc === doc && sameMeta(last.current.meta, meta)) return last.current.meta;
    last.current = { doc, meta };
    return meta;
  });
}

/**
 * One note: its metadata (in the note's own doc), its body, and the notes that link to it. `find`:
 * the search it was opened from, which its images' text (OCR) may answer; they are highlighted.
 */
export function NoteView({ noteId, engagement, find }: { noteId: string; engagement: EngagementSummary; find?: string }) {
  const replica = useReplica(docIdFor('note', noteId));
  const { api, info } = useOutpost();
  const meta = useNoteMeta(replica?.doc ?? null);
  const syncState = useSyncState(replica);
  const [problem, setProblem] = useState<string | null>(null);
  const [tagDraft, setTagDraft] = useState<string | null>(null);
  const title = useTypedDraft(meta?.title ?? '');
  const [historyOpen, setHistoryOpen] = useState(false);

  const loadBacklinks = useCallback(async () => (await api.call('notes.backlinks', { id: noteId })).notes, [api, noteId]);
  const backlinks = useApiQuery(loadBacklinks, ['notes.changed']);
  const onReady = useCallback((editor: Editor) => appendCaptureLine(editor, noteId), [noteId]);

  if (!replica || !meta) return <p className="muted">Opening note…</p>;
  if (!meta.id) {
    return (
      <p role="status" className="loading">
        {syncState === 'offline' ? 'This note cannot be loaded: the notebook host is unreachable.' : 'Loading note…'}
      </p>
    );
  }

  const apply = (patch: NotePatch) => {
    try {
      applyNotePatch(replica.doc, patch);
      setProblem(null);
      return true;
    } catch (error) {
      setProblem(error instanceof OutpostError ? error.message : String(error));
      return false;
    }
  };
  const commitTags = () => {
    if (tagDraft === null) return;
    const tags = tagDraft
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (apply({ tags })) setTagDraft(null);
  };

  return (
    <section className="note-view" aria-label={`Note: ${meta.title || 'Untitled'}`}>
      <p className="breadcrumb">
        <a href={engagementHref(engagement.id, 'notes')}>← All notes of {engagement.codename}</a>
      </p>
      <div className="note-head">
        <input
          className="note-title-input"
          aria-label="Title"
          value={title.shown}
          maxLength={300}
          placeholder="Untitled"
          onChange={(e) => {
            title.typed(e.target.value);
            apply({ title: e.target.value });
          }}
          onBlur={title.left}
        />
        <SyncBadge state={syncState} />
        <TurnIntoLessonButton source={{ kind: 'note', engagementId: engagement.id, id: noteId }} prominent={meta.type === 'incident'} />
        <button type="button" onClick={() => setHistoryOpen(true)} title="Versions of this note, what changed, and restore">
          History
        </button>
      </div>
      <div className="note-meta-fields">
        <label>
          <span>Type</span>
          <select aria-label="Type" value={meta.type} onChange={(e) => apply({ type: e.target.value as NoteType })}>
            {NOTE_TYPES.map((t) => (
              <option key={t} value={t}>
                {NOTE_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Classification</span>
          <select aria-label="Classification" value={meta.classification} onChange={(e) => apply({ classification: e.target.value })}>
            {levelsUpTo(info.classificationLevels, engagement.ceiling).map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          <span>Tags (comma-separated)</span>
          <input
            value={tagDraft ?? meta.tags.join(', ')}
            onChange={(e) => setTagDraft(e.target.value)}
            onBlur={commitTags}
            onKeyDown={(e) => e.key === 'Enter' && commitTags()}
          />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={meta.pinned} onChange={(e) => apply({ pinned: e.target.checked })} />
          <span>Pinned</span>
        </label>
      </div>
      <AlsoEditing docId={docIdFor('note', noteId)} />
      <p className="muted small">
        By {meta.authorName} · created {meta.createdAt ? new Date(meta.createdAt).toLocaleString() : '—'}
      </p>
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {historyOpen && <NoteHistoryDialog noteId={noteId} title={meta.title} onClose={() => setHistoryOpen(false)} />}
      <NoteEditor key={noteId} doc={replica.doc} noteId={noteId} engagementId={engagement.id} find={find} onReady={onReady} />
      {meta.type === 'incident' && <IncidentTimelinePanel noteId={noteId} />}
      <SeenBeforePanel noteId={noteId} engagementId={engagement.id} />
      <section className="backlinks" aria-labelledby="backlinks-title">
        <h3 id="backlinks-title">Linked from</h3>
        {backlinks.data?.length === 0 && <p className="muted">No note links here yet. Type [[ in another note to link this one.</p>}
        <ul>
          {backlinks.data?.map((note) => (
            <li key={note.id}>
              <a href={noteHref(note.engagementId, note.id)}>{note.title || 'Untitled'}</a>{' '}
              <span className="muted">{NOTE_TYPE_LABELS[note.type]}</span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
