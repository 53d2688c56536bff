import type { EngagementSummary } from '../../shared/engagements/model';
import { type EngagementTab, engagementHref } from '../app/use-hash-route';
import { LessonsPane } from '../lessons/LessonsPane';
import { MapPane } from '../map/MapPane';
import { NotesPane } from '../notes/NotesPane';
import { NoteView } from '../notes/NoteView';
import { StakeholdersPane } from '../stakeholders/StakeholdersPane';
import { EngagementView } from './EngagementView';

interface Props {
  engagement: EngagementSummary;
  tab: EngagementTab;
  noteId: string | null;
  /** The search the open note was opened from (see NoteView). */
  find?: string;
  /** On the Lessons tab: the lesson open in the editor. */
  lessonId?: string | null;
  others: EngagementSummary[];
}

/** One engagement: its codename, the section tabs, and the section's content (or an open note). */
export function EngagementPage({ engagement, tab, noteId, find, lessonId = null, others }: Props) {
  const section = noteId ? 'notes' : tab;
  return (
    <article className="engagement-page" aria-labelledby="engagement-title">
      <header className="page-head">
        <h2 id="engagement-title">{engagement.codename}</h2>
        <nav className="tabs" aria-label="Engagement sections">
          <a href={engagementHref(engagement.id)} aria-current={section === 'overview' ? 'page' : undefined}>
            Overview
          </a>
          <a href={engagementHref(engagement.id, 'notes')} aria-current={section === 'notes' ? 'page' : undefined}>
            Notes
          </a>
          <a href={engagementHref(engagement.id, 'map')} aria-current={section === 'map' ? 'page' : undefined}>
            Map
          </a>
          <a href={engagementHref(engagement.id, 'stakeholders')} aria-current={section === 'stakeholders' ? 'page' : undefined}>
            Stakeholders
          </a>
          <a href={engagementHref(engagement.id, 'lessons')} aria-current={section === 'lessons' ? 'page' : undefined}>
            Lessons
          </a>
        </nav>
      </header>
      {noteId ? (
        <NoteView key={noteId} noteId={noteId} engagement={engagement} find={find} />
      ) : section === 'notes' ? (
        <NotesPane engagement={engagement} />
      ) : section === 'stakeholders' ? (
        <StakeholdersPane key={engagement.id} engagement={engagement} />
      ) : section === 'lessons' ? (
        <LessonsPane key={engagement.id} engagement={engagement} lessonId={lessonId} />
      ) : section === 'map' ? (
        <MapPane key={engagement.id} engagement={engagement} />
      ) : (
        <EngagementView key={engagement.id} id={engagement.id} others={others} />
      )}
    </article>
  );
}
