import { useCallback, useId, useState } from 'react';
import type * as Y from 'yjs';
import type { RetrospectiveItem } from '../../shared/lessons/calls';
import { addLesson, completeRetrospective, decideRetrospectiveItem, type RetrospectiveDecision } from '../../shared/lessons/doc';
import { LESSON_FIELD_LABELS, LESSON_LIMITS, LESSON_TEXT_FIELDS, type LessonCreate } from '../../shared/lessons/model';
import { useOutpost } from '../app/outpost-context';
import { useApiQuery } from '../app/use-api-query';
import { lessonHref } from '../app/use-hash-route';
import { attempt } from '../stakeholders/common';
import { ComboField } from './LessonEditor';
import type { LessonsView } from './LessonsPane';
import { retrospectiveProgress, skillAreaOptions } from './vocabulary';

const KIND_LABELS: Record<RetrospectiveItem['kind'], string> = { incident: 'Incident', decision: 'Decision', brief: 'Delivered brief' };

/** A lesson already turned from the item's note or card ("Turn into lesson" before the retrospective). */
function turnedFrom(key: string, data: LessonsView) {
  return data.lessons.find((l) => !l.mergedInto && `${l.source.kind}:${l.source.id}` === key);
}

function outcomeText(key: string, decision: RetrospectiveDecision | undefined, data: LessonsView): string {
  if (!decision) return turnedFrom(key, data) ? 'To decide · already has a lesson' : 'To decide';
  if (decision.type === 'skipped') return 'Skipped';
  const lesson = data.lessons.find((l) => l.id === decision.lessonId);
  return lesson ? `Created “${lesson.title}”` : 'Lesson created (since deleted)';
}

/**
 * The end-of-engagement retrospective: a walk through the engagement's incidents, decisions and
 * delivered briefs, one at a time, each with a drafted lesson to edit and create, or to skip.
 * Decisions live in the engagement's doc, so the walk resumes where it was left (on any device).
 */
export function RetrospectivePanel({ doc, data }: { doc: Y.Doc; data: LessonsView }) {
  const { api } = useOutpost();
  const engagementId = data.engagement.id;
  const load = useCallback(async () => (await api.call('lessons.retrospective', { engagementId })).items, [api, engagementId]);
  const query = useApiQuery(load, ['notes.changed']);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = query.data ?? [];
  const { decisions, completedAt } = data.retrospective;
  const progress = retrospectiveProgress(
    items.map((i) => i.key),
    decisions,
  );
  const currentKey = chosen && items.some((i) => i.key === chosen) ? chosen : progress.next;
  const index = items.findIndex((i) => i.key === currentKey);
  const current = index >= 0 ? items[index] : undefined;
  const go = (delta: number) => {
    const next = items[index + delta];
    if (next) setChosen(next.key);
  };
  const decide = (item: RetrospectiveItem, create: LessonCreate | null) => {
    let lessonId = '';
    const refused = attempt(() =>
      doc.transact(() => {
        if (create) lessonId = addLesson(doc, create);
        decideRetrospectiveItem(doc, item.key, create ? { type: 'lesson', lessonId } : { type: 'skipped' });
      }),
    );
    setError(refused);
    if (refused) return;
    // On to the next item still to decide.
    const after = items.slice(index + 1).find((i) => !decisions[i.key] && i.key !== item.key);
    setChosen(after?.key ?? null);
  };

  if (query.error && !query.data) {
    return (
      <p role="alert" className="error">
        The retrospective’s items could not be loaded: {query.error}
      </p>
    );
  }
  if (!query.data) return <p className="muted">Gathering the engagement’s incidents, decisions and briefs…</p>;
  return (
    <div className="retrospective">
      <div className="retro-head">
        <p className="retro-progress">
          <strong>
            {progress.decided} of {progress.total} decided
          </strong>
          <progress max={Math.max(progress.total, 1)} value={progress.decided} aria-label="Retrospective progress" />
        </p>
        {completedAt ? (
          <p className="muted small">
            Finished {new Date(completedAt).toLocaleString()}.{' '}
            <button type="button" className="small-button" onClick={() => setError(attempt(() => completeRetrospective(doc, null)))}>
              Reopen
            </button>
          </p>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => setError(attempt(() => completeRetrospective(doc, new Date().toISOString())))}
          >
            Finish retrospective
          </button>
        )}
      </div>
      {!completedAt && progress.total > progress.decided && progress.decided > 0 && (
        <p className="muted small">{progress.total - progress.decided} still to decide: you can stop now and resume later.</p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <p className="muted">
          Nothing to review yet: the retrospective walks through the engagement’s incident notes, decision records and delivered translation
          cards.
        </p>
      ) : (
        <div className="retro-layout">
          <ol className="retro-items" aria-label="Retrospective items">
            {items.map((item) => {
              const decision = decisions[item.key];
              return (
                <li key={item.key} className={`${item.key === currentKey ? 'selected' : ''} ${decision ? `decided-${decision.type}` : ''}`}>
                  <button type="button" aria-current={item.key === currentKey ? 'step' : undefined} onClick={() => setChosen(item.key)}>
                    <span className="badge">{KIND_LABELS[item.kind]}</span>
                    <span className="retro-title">{item.title || 'Untitled'}</span>
                    <span className="muted small">{outcomeText(item.key, decision, data)}</span>
                  </button>
                </li>
              );
            })}
          </ol>
          {current ? (
            <RetroItem
              key={current.key}
              item={current}
              position={`${index + 1} of ${items.length}`}
              decision={decisions[current.key]}
              data={data}
              onCreate={(lesson) => decide(current, lesson)}
              onKeep={(lessonId) => setError(attempt(() => decideRetrospectiveItem(doc, current.key, { type: 'lesson', lessonId })))}
              onSkip={() => decide(current, null)}
              onUndo={() => setError(attempt(() => decideRetrospectiveItem(doc, current.key, null)))}
              onPrevious={index > 0 ? () => go(-1) : null}
              onNext={index < items.length - 1 ? () => go(1) : null}
            />
          ) : (
            <p className="muted retro-done" role="status">
              Every item is decided.{completedAt ? '' : ' Finish the retrospective when you are done.'}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function RetroItem({
  item,
  position,
  decision,
  data,
  onCreate,
  onKeep,
  onSkip,
  onUndo,
  onPrevious,
  onNext,
}: {
  item: RetrospectiveItem;
  position: string;
  decision: RetrospectiveDecision | undefined;
  data: LessonsView;
  onCreate: (lesson: LessonCreate) => void;
  /** Records an existing lesson as this item's. */
  onKeep: (lessonId: string) => void;
  onSkip: () => void;
  onUndo: () => void;
  onPrevious: (() => void) | null;
  onNext: (() => void) | null;
}) {
  const [draft, setDraft] = useState<LessonCreate>(() => ({
    ...item.draft,
    source: item.draft.source ?? { kind: 'retrospective', id: '' },
  }));
  const titleId = useId();
  const set = (patch: Partial<LessonCreate>) => setDraft((d) => ({ ...d, ...patch }));
  const skillAreas = skillAreaOptions(data.lessons.map((l) => l.skillArea));
  const existing = turnedFrom(item.key, data);
  return (
    <section className="retro-item" aria-labelledby={titleId}>
      <p className="muted small">
        {position} · {KIND_LABELS[item.kind]}
        {item.date && ` · ${item.date.slice(0, 10)}`}
        {item.classification && ` · ${item.classification}`}
      </p>
      <h3 id={titleId}>{item.title || 'Untitled'}</h3>
      {decision ? (
        <div className="retro-outcome" role="status">
          {decision.type === 'skipped' ? (
            <p>Skipped: no lesson from this one.</p>
          ) : (
            <p>
              Lesson created:{' '}
              <a href={lessonHref(data.engagement.id, decision.lessonId)}>
                {data.lessons.find((l) => l.id === decision.lessonId)?.title ?? 'the lesson (since deleted)'}
              </a>
            </p>
          )}
          <button type="button" className="small-button" onClick={onUndo}>
            Reconsider
          </button>
        </div>
      ) : (
        <>
          {existing && (
            <p className="banner retro-existing">
              Already turned into a lesson: <a href={lessonHref(data.engagement.id, existing.id)}>{existing.title}</a>.{' '}
              <button type="button" className="small-button" onClick={() => onKeep(existing.id)}>
                Count it for this item
              </button>
            </p>
          )}
          <form
            className="retro-draft"
            aria-label="Drafted lesson"
            onSubmit={(e) => {
              e.preventDefault();
              onCreate(draft);
            }}
          >
            <div className="fields">
              <div className="field wide">
                <label htmlFor={`${titleId}-t`}>Lesson title</label>
                <input
                  id={`${titleId}-t`}
                  value={draft.title}
                  maxLength={LESSON_LIMITS.title}
                  autoComplete="off"
                  onChange={(e) => set({ title: e.target.value })}
                />
              </div>
              <ComboField
                label="Skill area"
                value={draft.skillArea}
                options={skillAreas}
                apply={(skillArea) => {
                  set({ skillArea });
                  return null;
                }}
              />
              {LESSON_TEXT_FIELDS.map((field) => (
                <div key={field} className="field wide">
                  <label htmlFor={`${titleId}-${field}`}>{LESSON_FIELD_LABELS[field]}</label>
                  <textarea
                    id={`${titleId}-${field}`}
                    rows={3}
                    maxLength={LESSON_LIMITS.text}
                    value={draft[field] ?? ''}
                    onChange={(e) => set({ [field]: e.target.value })}
                  />
                </div>
              ))}
            </div>
            {(draft.evidence?.length ?? 0) > 0 && <p className="muted small">Evidence: {draft.evidence?.map((e) => e.label).join('; ')}</p>}
            <div className="retro-actions">
              <button type="submit" className="primary" disabled={!draft.title.trim()}>
                Create lesson
              </button>
              <button type="button" onClick={onSkip}>
                Skip
              </button>
            </div>
          </form>
        </>
      )}
      <div className="retro-nav">
        <button type="button" disabled={!onPrevious} onClick={() => onPrevious?.()}>
          Previous
        </button>
        <button type="button" disabled={!onNext} onClick={() => onNext?.()}>
          Next
        </button>
      </div>
    </section>
  );
}
