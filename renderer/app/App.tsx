import { useCallback, useEffect, useRef, useState } from 'react';
import { EngagementPage } from '../engagements/EngagementPage';
import { EngagementSidebar } from '../engagements/EngagementSidebar';
import { NewEngagementDialog } from '../engagements/NewEngagementDialog';
import { type ListOptions, useEngagementList } from '../engagements/use-engagement-list';
import { LibraryView } from '../lessons/LibraryView';
import { captureEngagement, localDate, rememberEngagement, requestCapture } from '../notes/capture';
import { SyncView } from '../sync/SyncView';
import { CommandPalette } from './CommandPalette';
import { useConnectionStatus, useOutpost } from './outpost-context';
import { SettingsDialog } from './SettingsDialog';
import { ThemeSwitch } from './theme';
import { engagementHref, LIBRARY_HREF, navigate, noteHref, routeEngagementId, SYNC_HREF, useHashRoute } from './use-hash-route';

const CONNECTION_LABELS = {
  connecting: 'Connecting to the notebook…',
  online: 'Notebook connected',
  offline: 'Notebook host unreachable — reconnecting',
  'signed-out': 'Signed out: the host restarted — open the address it printed',
} as const;

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function App() {
  const { api, info } = useOutpost();
  const route = useHashRoute();
  const [options, setOptions] = useState<ListOptions>({ includeArchived: false, sort: 'updated' });
  const { engagements, error } = useEngagementList(options);
  const [creating, setCreating] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const status = useConnectionStatus(api);
  const filterRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const activeEngagement = routeEngagementId(route);

  useEffect(() => {
    if (!activeEngagement) return;
    rememberEngagement(activeEngagement);
    // The notebook remembers it too: `outpost log` in a terminal goes where the user last looked.
    api.call('engagements.shown', { id: activeEngagement }).catch(() => {});
  }, [api, activeEngagement]);

  // Quick capture: today's field log of the engagement in view, else the one last worked in.
  const captureFieldLog = useCallback(async () => {
    const engagementId = activeEngagement ?? captureEngagement(engagements ?? []);
    if (!engagementId) {
      setNotice('Open an engagement first: the field log belongs to one.');
      if (route.view === 'capture') navigate('#/', { replace: true });
      return;
    }
    try {
      const note = await api.call('notes.fieldLog', { engagementId, date: localDate() });
      requestCapture(note.id);
      navigate(noteHref(engagementId, note.id), { replace: route.view === 'capture' });
    } catch (e) {
      setNotice((e as Error).message);
    }
  }, [api, activeEngagement, engagements, route.view]);

  // A window opened by the desktop app's system-wide shortcut, once the engagements are known.
  const captureStarted = useRef(false);
  useEffect(() => {
    if (route.view !== 'capture' || !engagements || captureStarted.current) return;
    captureStarted.current = true;
    void captureFieldLog();
  }, [route.view, engagements, captureFieldLog]);

  // Keyboard shortcuts that work anywhere in the app.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      if (event.altKey && !mod && event.code === 'KeyN') {
        event.preventDefault();
        setCreating(true);
      } else if (mod && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen(true);
      } else if (mod && event.shiftKey && event.code === 'KeyL') {
        event.preventDefault();
        void captureFieldLog();
      } else if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        filterRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    const offCapture = api.on('capture.fieldLog', () => void captureFieldLog());
    return () => {
      window.removeEventListener('keydown', onKey);
      offCapture();
    };
  }, [api, captureFieldLog]);

  // A link to a note by id (from [[links]]): find its engagement, then show it there.
  useEffect(() => {
    if (route.view !== 'note-by-id') return;
    api.call('notes.get', { id: route.noteId }).then(
      (note) => navigate(noteHref(note.engagementId, note.id), { replace: true }),
      () => setNotice('That note is not in this notebook (it may not have been shared with you).'),
    );
  }, [api, route]);

  const selectedId = activeEngagement;
  const selected = engagements?.find((e) => e.id === selectedId);

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <header className="topbar">
        <h1>Outpost</h1>
        <span className="device" title={info.path}>
          {info.device.name}
        </span>
        <button type="button" className="search-button" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K">
          Search… <kbd>Ctrl K</kbd>
        </button>
        <span role="status" className={`connection connection-${status}`}>
          {CONNECTION_LABELS[status]}
        </span>
        <ThemeSwitch />
        <a href={LIBRARY_HREF} className="topbar-link" aria-current={route.view === 'library' ? 'page' : undefined}>
          Library
        </a>
        <a href={SYNC_HREF} className="topbar-link" aria-current={route.view === 'sync' ? 'page' : undefined}>
          Sync
        </a>
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
      {notice && (
        <div role="alert" className="notice">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="body">
        <EngagementSidebar
          engagements={engagements}
          error={error}
          selectedId={selectedId}
          options={options}
          onOptions={setOptions}
          onNew={() => setCreating(true)}
          filterRef={filterRef}
        />
        <main id="main" ref={mainRef} tabIndex={-1}>
          {route.view === 'sync' && <SyncView />}
          {route.view === 'library' && <LibraryView section={route.section} playbookId={route.playbookId ?? null} />}
          {selectedId && engagements && !selected && (
            <EmptyPane
              title="Engagement not found"
              text="It may be archived (turn on “Show archived”), or it was never in this notebook."
            />
          )}
          {selected && (
            <EngagementPage
              key={selected.id}
              engagement={selected}
              tab={route.view === 'engagement' ? route.tab : 'notes'}
              noteId={route.view === 'note' ? route.noteId : null}
              lessonId={route.view === 'engagement' ? (route.lessonId ?? null) : null}
              others={engagements ?? []}
            />
          )}
          {!selectedId && route.view !== 'sync' && route.view !== 'library' && engagements?.length === 0 && (
            <section className="empty" aria-labelledby="empty-title">
              <h2 id="empty-title">Start your first engagement</h2>
              <p>
                An engagement is one client deployment: the client and site, a codename, how sensitive its notes may be, the team, and its
                dates. Everything stays on this computer; nothing leaves it unless you export it.
              </p>
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                Create an engagement
              </button>
              <p className="muted">Tip: Alt+N creates an engagement from anywhere; / jumps to the filter; Ctrl+K searches.</p>
            </section>
          )}
          {!selectedId && route.view !== 'sync' && route.view !== 'library' && engagements && engagements.length > 0 && (
            <EmptyPane
              title="Pick an engagement"
              text="Choose one from the list, press Alt+N to create one, Ctrl+K to search every note, or Ctrl+Shift+L to log a line in today's field log."
            />
          )}
        </main>
      </div>
      {paletteOpen && <CommandPalette engagements={engagements ?? []} onClose={() => setPaletteOpen(false)} />}
      {settingsOpen && <SettingsDialog onClose={() => setSettingsOpen(false)} />}
      {creating && (
        <NewEngagementDialog
          onClose={() => setCreating(false)}
          onCreated={(engagement) => {
            setCreating(false);
            navigate(engagementHref(engagement.id));
          }}
        />
      )}
    </div>
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
