import type { RefObject } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { EngagementPage } from '../engagements/EngagementPage';
import { LibraryView } from '../lessons/LibraryView';
import { SyncView } from '../sync/SyncView';
import { type Route, routeEngagementId } from './use-hash-route';

interface Props {
  route: Route;
  engagements: EngagementSummary[] | null;
  onNewEngagement(): void;
  mainRef: RefObject<HTMLElement | null>;
}

/** What the route shows beside the sidebar: Sync, the Library, an engagement, or a first-run / pick-one page. */
export function MainPane({ route, engagements, onNewEngagement, mainRef }: Props) {
  const selectedId = routeEngagementId(route);
  const selected = engagements?.find((e) => e.id === selectedId);
  const elsewhere = route.view === 'sync' || route.view === 'library';
  return (
    <main id="main" ref={mainRef} tabIndex={-1}>
      {route.view === 'sync' && <SyncView />}
      {route.view === 'library' && <LibraryView section={route.section} playbookId={route.playbookId ?? null} />}
      {selectedId && engagements && !selected && (
        <EmptyPane title="Engagement not found" text="It may be archived (turn on “Show archived”), or it was never in this notebook." />
      )}
      {selected && (
        <EngagementPage
          key={selected.id}
          engagement={selected}
          tab={route.view === 'engagement' ? route.tab : 'notes'}
          noteId={route.view === 'note' ? route.noteId : null}
          find={route.view === 'note' ? route.find : undefined}
          lessonId={route.view === 'engagement' ? (route.lessonId ?? null) : null}
          others={engagements ?? []}
        />
      )}
      {!selectedId && !elsewhere && engagements?.length === 0 && <FirstEngagement onCreate={onNewEngagement} />}
      {!selectedId && !elsewhere && engagements && engagements.length > 0 && (
        <EmptyPane
          title="Pick an engagement"
          text="Choose one from the list, press Alt+N to create one, Ctrl+K to search every note, or Ctrl+Shift+L to log a line in today's field log."
        />
      )}
    </main>
  );
}

function FirstEngagement({ onCreate }: { onCreate(): void }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">Start your first engagement</h2>
      <p>
        An engagement is one client deployment: the client and site, a codename, how sensitive its notes may be, the team, and its dates.
        Everything stays on this computer; nothing leaves it unless you export it.
      </p>
      <button type="button" className="primary" onClick={onCreate}>
        Create an engagement
      </button>
      <p className="muted">Tip: Alt+N creates an engagement from anywhere; / jumps to the filter; Ctrl+K searches.</p>
    </section>
  );
}

function EmptyPane({ title, text }: { title: string; text: string }) {
  return (
    <section className="empty">
      <h2>{title}</h2>
      <p className="muted">{text}</p>
    </section>
  );
}
