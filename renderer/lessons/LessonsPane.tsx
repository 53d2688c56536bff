import { useCallback, useState } from 'react';
import type * as Y from 'yjs';
import { readEngagement } from '../../shared/engagements/doc';
import type { EngagementSummary } from '../../shared/engagements/model';
import { docIdFor } from '../../shared/ids';
import { addLesson, readLessons, readOutcomes, readRetrospective } from '../../shared/lessons/doc';
import { DEFAULT_SKILL_AREAS, LESSON_LIMITS } from '../../shared/lessons/model';
import { readMap } from '../../shared/map/doc';
import { readCards } from '../../shared/stakeholders/doc';
import { useDocValue, useReplica, useSyncState } from '../app/outpost-context';
import { QuickAddForm } from '../app/QuickAddForm';
import { engagementHref, LIBRARY_HREF, lessonHref, navigate } from '../app/use-hash-route';
import { attempt } from '../stakeholders/common';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { LessonEditor } from './LessonEditor';
import { OutcomesPanel } from './OutcomesPanel';
import { RetrospectivePanel } from './RetrospectivePanel';
import { appliesToLabel } from './vocabulary';
import './lessons.css';

/** Everything the Lessons tab shows, read from the engagement's replica. */
function readLessonsView(doc: Y.Doc) {
  const engagement = readEngagement(doc).engagement;
  return {
    engagement,
    lessons: readLessons(doc, engagement.id).lessons,
    outcomes: readOutcomes(doc),
    retrospective: readRetrospective(doc),
    map: readMap(doc).map,
    cards: readCards(doc).cards,
  };
}
export type LessonsView = ReturnType<typeof readLessonsView>;

type Section = 'lessons' | 'outcomes' | 'retrospective';

/** The engagement's Lessons tab: its lessons, outcome metrics and the end-of-engagement retrospective, on its replica. */
export function LessonsPane({ engagement, lessonId }: { engagement: EngagementSummary; lessonId: string | null }) {
  const replica = useReplica(docIdFor('engagement', engagement.id));
  if (!replica) return <p className="muted">Opening…</p>;
  return <Lessons replica={replica} engagementId={engagement.id} lessonId={lessonId} />;
}

function Lessons({ replica, engagementId, lessonId }: { replica: Replica; engagementId: string; lessonId: string | null }) {
  const data = useDocValue(replica.doc, readLessonsView) ?? readLessonsView(replica.doc);
  const syncState = useSyncState(replica);
  const [section, setSection] = useState<Section>('lessons');

  if (!data.engagement.id) {
    return (
      <div className="loading" role="status">
        {syncState === 'offline' ? 'This engagement cannot be loaded: the notebook host is unreachable.' : 'Loading engagement…'}
      </div>
    );
  }
  const live = data.lessons.filter((l) => !l.mergedInto);
  const sections: Array<{ id: Section; label: string; count: number | null }> = [
    { id: 'lessons', label: 'Lessons', count: live.length },
    { id: 'outcomes', label: 'Outcome metrics', count: data.outcomes.length },
    { id: 'retrospective', label: 'Retrospective', count: null },
  ];
  // A lesson in the URL (just turned from a note) is shown on the Lessons section.
  const shown = lessonId ? 'lessons' : section;
  return (
    <section className="lessons-pane" aria-label="Lessons of the engagement">
      <header className="lessons-head">
        <div className="segmented" role="tablist" aria-label="Lesson sections">
          {sections.map((s) => (
            <button
              key={s.id}
              type="button"
              role="tab"
              id={`lessons-tab-${s.id}`}
              aria-selected={shown === s.id}
              aria-controls={`lessons-panel-${s.id}`}
              onClick={() => {
                setSection(s.id);
                if (lessonId && s.id !== 'lessons') navigate(engagementHref(engagementId, 'lessons'));
              }}
            >
              {s.label}
              {s.count !== null && <span className="count">{s.count}</span>}
            </button>
          ))}
        </div>
        <div className="head-actions">
          <SyncBadge state={syncState} />
          {data.retrospective.completedAt && (
            <span className="muted small">Retrospective finished {new Date(data.retrospective.completedAt).toLocaleDateString()}</span>
          )}
          <a href={LIBRARY_HREF}>Open the library</a>
        </div>
      </header>
      <div role="tabpanel" id={`lessons-panel-${shown}`} aria-labelledby={`lessons-tab-${shown}`}>
        {shown === 'lessons' && <LessonsSection doc={replica.doc} data={data} lessonId={lessonId} />}
        {shown === 'outcomes' && <OutcomesPanel doc={replica.doc} outcomes={data.outcomes} />}
        {shown === 'retrospective' && <RetrospectivePanel doc={replica.doc} data={data} />}
      </div>
    </section>
  );
}

function LessonsSection({ doc, data, lessonId }: { doc: Y.Doc; data: LessonsView; lessonId: string | null }) {
  const engagementId = data.engagement.id;
  const add = (title: string) => {
    let id = '';
    const refused = attempt(() => {
      id = addLesson(doc, { title, skillArea: DEFAULT_SKILL_AREAS[0], source: { kind: 'manual', id: '' } });
    });
    if (!refused) navigate(lessonHref(engagementId, id));
    return refused;
  };
  const open = lessonId ? data.lessons.find((l) => l.id === lessonId) : undefined;
  const select = useCallback((id: string) => navigate(lessonHref(engagementId, id)), [engagementId]);
  return (
    <div className="lessons-layout">
      <div className="lessons-side">
        <QuickAddForm
          label="New lesson"
          field="Lesson title"
          button="Add lesson"
          maxLength={LESSON_LIMITS.title}
          placeholder="e.g. Ask for the ERP's API quota before go-live"
          onAdd={add}
        />
        {data.lessons.length === 0 ? (
          <p className="muted">
            No lessons yet. Add one here, use “Turn into lesson” on an incident note or a translation card, or run the retrospective.
          </p>
        ) : (
          <ul className="lesson-list" aria-label="Lessons">
            {data.lessons.map((lesson) => (
              <li key={lesson.id} className={lesson.id === lessonId ? 'selected' : undefined}>
                <button
                  type="button"
                  className="lesson-pick"
                  aria-current={lesson.id === lessonId ? 'true' : undefined}
                  onClick={() => select(lesson.id)}
                >
                  <span className="lesson-title">{lesson.title}</span>
                  <span className="muted small">
                    {lesson.skillArea}
                    {lesson.appliesTo.length > 0 && ` · ${lesson.appliesTo.slice(0, 2).map(appliesToLabel).join(', ')}`}
                  </span>
                  <span className="lesson-badges">
                    <span className={`badge status-${lesson.status}`}>{lesson.status === 'reviewed' ? 'Reviewed' : 'Draft'}</span>
                    {lesson.mergedInto && <span className="badge merged">Merged</span>}
                    {lesson.evidence.length > 0 && (
                      <span className="muted small">
                        {lesson.evidence.length} evidence {lesson.evidence.length === 1 ? 'link' : 'links'}
                      </span>
                    )}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="lessons-main">
        {open ? (
          <LessonEditor key={open.id} doc={doc} lesson={open} data={data} />
        ) : lessonId ? (
          <p className="muted" role="status">
            This lesson is not in the engagement (yet): it may still be arriving from the notebook, or it was deleted.
          </p>
        ) : (
          <p className="muted">Pick a lesson to edit it.</p>
        )}
      </div>
    </div>
  );
}
