import { useCallback, useId, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { docIdFor } from '../../shared/ids';
import type { LessonSummary } from '../../shared/lessons/calls';
import {
  addChapter,
  type PlaybookChapter,
  placeLesson,
  readPlaybook,
  removeChapter,
  unplaceLesson,
  updateChapter,
  updatePlaybook,
} from '../../shared/lessons/playbook';
import { useDocValue, useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { QuickAddForm } from '../app/QuickAddForm';
import { useApiQuery } from '../app/use-api-query';
import { lessonHref, libraryHref } from '../app/use-hash-route';
import { TextField } from '../engagements/fields';
import { attempt } from '../stakeholders/common';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { movedPosition } from './vocabulary';

/** A playbook, edited in its own replica (playbook:<id>): title, introduction, chapters and the lessons in each. */
export function PlaybookEditor({ playbookId, onExport }: { playbookId: string; onExport: () => void }) {
  const replica = useReplica(docIdFor('playbook', playbookId));
  if (!replica) return <p className="muted">Opening…</p>;
  return <Playbook replica={replica} onExport={onExport} />;
}

function Playbook({ replica, onExport }: { replica: Replica; onExport: () => void }) {
  const { api } = useOutpost();
  const doc = replica.doc;
  const playbook = useDocValue(doc, readPlaybook) ?? readPlaybook(doc);
  const syncState = useSyncState(replica);
  const refs = playbook.chapters.flatMap((c) => c.lessons);
  const refKey = refs.join(',');
  const load = useCallback(async () => {
    const list = refKey ? refKey.split(',') : [];
    if (!list.length) return new Map<string, LessonSummary>();
    const result = await api.call('lessons.get', { refs: list });
    return new Map(result.lessons.map((l) => [l.ref, l as LessonSummary]));
  }, [api, refKey]);
  const lessons = useApiQuery(load, ['engagements.changed']);
  const [error, setError] = useState<string | null>(null);

  if (!playbook.id) {
    return (
      <div className="loading" role="status">
        {syncState === 'offline' ? 'This playbook cannot be loaded: the notebook host is unreachable.' : 'Loading playbook…'}
      </div>
    );
  }
  const positions = playbook.chapters.map((c) => c.position);
  return (
    <section className="playbook-editor" aria-label={`Playbook ${playbook.title}`}>
      <p className="breadcrumb">
        <a href={libraryHref('playbooks')}>← All playbooks</a>
      </p>
      <div className="detail-head">
        <h3>{playbook.title}</h3>
        <div className="head-actions">
          <SyncBadge state={syncState} />
          <button type="button" className="primary" onClick={onExport}>
            Export…
          </button>
        </div>
      </div>
      <div className="fields">
        <TextField
          label="Playbook title"
          value={playbook.title}
          maxLength={200}
          apply={(title) => attempt(() => updatePlaybook(doc, { title }))}
        />
        <TextField
          label="Introduction"
          multiline
          value={playbook.intro}
          maxLength={20_000}
          apply={(intro) => attempt(() => updatePlaybook(doc, { intro }))}
          hint="Who it is for and how to read it."
        />
      </div>
      {lessons.error && (
        <p role="alert" className="error">
          The lessons could not be loaded: {lessons.error}
        </p>
      )}
      {playbook.chapters.length === 0 ? (
        <p className="muted">No chapters yet. Add one, then add lessons from the library to it.</p>
      ) : (
        <ol className="chapter-list" aria-label="Chapters">
          {playbook.chapters.map((chapter, index) => (
            <li key={chapter.id}>
              <ChapterEditor
                doc={doc}
                chapter={chapter}
                lessons={lessons.data ?? null}
                onMove={(direction) => {
                  const position = movedPosition(positions, index, direction);
                  if (position !== null) setError(attempt(() => updateChapter(doc, chapter.id, { position })));
                }}
                first={index === 0}
                last={index === playbook.chapters.length - 1}
              />
            </li>
          ))}
        </ol>
      )}
      <QuickAddForm
        label="New chapter"
        field="Chapter title"
        button="Add chapter"
        maxLength={200}
        placeholder="e.g. Integrating with the client's ERP"
        secondary
        onAdd={(title) => attempt(() => addChapter(doc, title))}
      />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {playbook.chapters.length > 0 && <AddFromLibrary doc={doc} chapters={playbook.chapters} placed={new Set(refs)} />}
    </section>
  );
}

function ChapterEditor({
  doc,
  chapter,
  lessons,
  onMove,
  first,
  last,
}: {
  doc: Y.Doc;
  chapter: PlaybookChapter;
  lessons: Map<string, LessonSummary> | null;
  onMove: (direction: -1 | 1) => void;
  first: boolean;
  last: boolean;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const move = (ref: string, to: number) => setError(attempt(() => placeLesson(doc, chapter.id, ref, to)));
  return (
    <fieldset className="chapter" aria-label={`Chapter ${chapter.title}`}>
      <legend>{chapter.title}</legend>
      <div className="chapter-head">
        <TextField
          label="Chapter title"
          value={chapter.title}
          maxLength={200}
          apply={(title) => attempt(() => updateChapter(doc, chapter.id, { title }))}
        />
        <div className="row-actions">
          <button
            type="button"
            className="small-button"
            disabled={first}
            aria-label={`Move chapter ${chapter.title} up`}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="small-button"
            disabled={last}
            aria-label={`Move chapter ${chapter.title} down`}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          {confirming ? (
            <>
              <button type="button" className="small-button danger" onClick={() => setError(attempt(() => removeChapter(doc, chapter.id)))}>
                Remove chapter
              </button>
              <button type="button" className="small-button" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="small-button" onClick={() => setConfirming(true)}>
              Remove chapter…
            </button>
          )}
        </div>
      </div>
      <TextField
        label="Chapter introduction"
        multiline
        value={chapter.intro}
        maxLength={20_000}
        apply={(intro) => attempt(() => updateChapter(doc, chapter.id, { intro }))}
      />
      {chapter.lessons.length === 0 ? (
        <p className="muted small">No lessons in this chapter yet: add them from the library below.</p>
      ) : (
        <ol className="chapter-lessons" aria-label={`Lessons in ${chapter.title}`}>
          {chapter.lessons.map((ref, i) => {
            const lesson = lessons?.get(ref);
            const title = lesson?.title ?? (lessons ? 'A lesson no longer in the library' : 'Loading…');
            const [engagementId = '', lessonId = ''] = ref.split(':');
            return (
              <li key={ref}>
                <div className="chapter-lesson">
                  {lesson ? <a href={lessonHref(engagementId, lessonId)}>{title}</a> : <span className="muted">{title}</span>}
                  {lesson && (
                    <span className="muted small">
                      {lesson.engagementCodename} · {lesson.skillArea}
                    </span>
                  )}
                </div>
                <div className="row-actions">
                  <button
                    type="button"
                    className="small-button"
                    disabled={i === 0}
                    aria-label={`Move ${title} up`}
                    onClick={() => move(ref, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="small-button"
                    disabled={i === chapter.lessons.length - 1}
                    aria-label={`Move ${title} down`}
                    onClick={() => move(ref, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="small-button"
                    aria-label={`Remove ${title} from the playbook`}
                    onClick={() => setError(attempt(() => unplaceLesson(doc, ref)))}
                  >
                    Remove
                  </button>
                </div>
              </li>
            );
          })}
        </ol>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Finds lessons in the library and places them in a chapter. */
function AddFromLibrary({ doc, chapters, placed }: { doc: Y.Doc; chapters: PlaybookChapter[]; placed: Set<string> }) {
  const { api } = useOutpost();
  const [query, setQuery] = useState('');
  const [chapterChoice, setChapterChoice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const request = useMemo(() => ({ query, limit: 20 }), [query]);
  const load = useCallback(() => api.call('lessons.library', request), [api, request]);
  const result = useApiQuery(load, ['engagements.changed']);
  const target = chapters.find((c) => c.id === chapterChoice) ?? chapters[0];
  const searchId = useId();
  const chapterId = useId();
  return (
    <section className="add-lessons" aria-label="Add lessons from the library">
      <h4>Add lessons from the library</h4>
      <div className="inline-form">
        <div className="field grow">
          <label htmlFor={searchId}>Find lessons</label>
          <input id={searchId} type="search" value={query} autoComplete="off" onChange={(e) => setQuery(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={chapterId}>Into chapter</label>
          <select id={chapterId} value={target?.id ?? ''} onChange={(e) => setChapterChoice(e.target.value)}>
            {chapters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.error && (
        <p role="alert" className="error">
          {result.error}
        </p>
      )}
      {result.data && (
        <ul className="library-list compact" aria-label="Lessons to add">
          {result.data.lessons.map((lesson) => (
            <li key={lesson.ref}>
              <div className="library-item">
                <strong>{lesson.title}</strong>
                <span className="muted small">
                  {lesson.engagementCodename} · {lesson.skillArea}
                </span>
              </div>
              {placed.has(lesson.ref) ? (
                <span className="muted small">In the playbook</span>
              ) : (
                <button
                  type="button"
                  className="small-button"
                  aria-label={`Add ${lesson.title} to ${target?.title ?? 'the chapter'}`}
                  disabled={!target}
                  onClick={() => target && setError(attempt(() => placeLesson(doc, target.id, lesson.ref)))}
                >
                  Add
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
