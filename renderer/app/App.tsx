import { useEffect, useRef, useState } from 'react';
import { EngagementSidebar } from '../engagements/EngagementSidebar';
import { EngagementView } from '../engagements/EngagementView';
import { NewEngagementDialog } from '../engagements/NewEngagementDialog';
import { type ListOptions, useEngagementList } from '../engagements/use-engagement-list';
import { useConnectionStatus, useOutpost } from './outpost-context';
import { SettingsDialog } from './SettingsDialog';
import { ThemeSwitch } from './theme';
import { engagementHref, navigate, useHashRoute } from './use-hash-route';

const CONNECTION_LABELS = {
  connecting: 'Connecting to the notebook…',
  online: 'Notebook connected',
  offline: 'Notebook host unreachable — reconnecting',
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
  const status = useConnectionStatus(api);
  const filterRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyN') {
        event.preventDefault();
        setCreating(true);
      } else if (event.key === '/' && !isTyping(event.target)) {
        event.preventDefault();
        filterRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const selectedId = route.view === 'engagement' ? route.id : null;
  const known = engagements?.some((e) => e.id === selectedId);

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
        <span role="status" className={`connection connection-${status}`}>
          {CONNECTION_LABELS[status]}
        </span>
        <ThemeSwitch />
        <button type="button" onClick={() => setSettingsOpen(true)}>
          Settings
        </button>
      </header>
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
          {selectedId && engagements && !known && (
            <EmptyPane
              title="Engagement not found"
              text="It may be archived (turn on “Show archived”), or it was never in this notebook."
            />
          )}
          {selectedId && known && <EngagementView key={selectedId} id={selectedId} others={engagements ?? []} />}
          {!selectedId && engagements?.length === 0 && (
            <section className="empty" aria-labelledby="empty-title">
              <h2 id="empty-title">Start your first engagement</h2>
              <p>
                An engagement is one client deployment: the client and site, a codename, how sensitive its notes may be, the team, and its
                dates. Everything stays on this computer; nothing leaves it unless you export it.
              </p>
              <button type="button" className="primary" onClick={() => setCreating(true)}>
                Create an engagement
              </button>
              <p className="muted">Tip: Alt+N creates an engagement from anywhere; / jumps to the filter.</p>
            </section>
          )}
          {!selectedId && engagements && engagements.length > 0 && (
            <EmptyPane title="Pick an engagement" text="Choose one from the list, or press Alt+N to create a new one." />
          )}
        </main>
      </div>
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
