import { useCallback, useEffect, useRef, useState } from 'react';
import { OcrProgress } from '../debugging/OcrProgress';
import { EngagementSidebar } from '../engagements/EngagementSidebar';
import { NewEngagementDialog } from '../engagements/NewEngagementDialog';
import { type ListOptions, useEngagementList } from '../engagements/use-engagement-list';
import { CommandPalette } from './CommandPalette';
import { MainPane } from './MainPane';
import { useOutpost } from './outpost-context';
import { SettingsDialog } from './SettingsDialog';
import { TopBar } from './TopBar';
import { useFieldLogCapture } from './use-field-log-capture';
import { useGlobalShortcuts } from './use-global-shortcuts';
import { engagementHref, navigate, noteHref, routeEngagementId, useHashRoute } from './use-hash-route';

/** The app's frame: top bar, engagement sidebar, the routed main pane, and the app-wide dialogs. */
export function App() {
  const { api } = useOutpost();
  const route = useHashRoute();
  const [options, setOptions] = useState<ListOptions>({ includeArchived: false, sort: 'updated' });
  const { engagements, error } = useEngagementList(options);
  const [creating, setCreating] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const mainRef = useRef<HTMLElement>(null);
  const activeEngagement = routeEngagementId(route);

  const captureFieldLog = useFieldLogCapture(route, activeEngagement, engagements, setNotice);
  useGlobalShortcuts({
    newEngagement: useCallback(() => setCreating(true), []),
    openPalette: useCallback(() => setPaletteOpen(true), []),
    captureFieldLog: useCallback(() => void captureFieldLog(), [captureFieldLog]),
    filter: filterRef,
  });

  // A link to a note by id (from [[links]]): find its engagement, then show it there.
  useEffect(() => {
    if (route.view !== 'note-by-id') return;
    api.call('notes.get', { id: route.noteId }).then(
      (note) => navigate(noteHref(note.engagementId, note.id), { replace: true }),
      () => setNotice('That note is not in this notebook (it may not have been shared with you).'),
    );
  }, [api, route]);

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </button>
      <TopBar route={route} onSearch={() => setPaletteOpen(true)} onSettings={() => setSettingsOpen(true)} />
      {notice && (
        <div role="alert" className="notice">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="body">
        <div className="sidebar-column">
          <EngagementSidebar
            engagements={engagements}
            error={error}
            selectedId={activeEngagement}
            options={options}
            onOptions={setOptions}
            onNew={() => setCreating(true)}
            filterRef={filterRef}
          />
          <OcrProgress />
        </div>
        <MainPane route={route} engagements={engagements} onNewEngagement={() => setCreating(true)} mainRef={mainRef} />
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
