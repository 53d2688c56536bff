import { useConnectionStatus, useOutpost } from './outpost-context';
import { ThemeSwitch } from './theme';
import { LIBRARY_HREF, type Route, SYNC_HREF } from './use-hash-route';

const CONNECTION_LABELS = {
  connecting: 'Connecting to the notebook…',
  online: 'Notebook connected',
  offline: 'Notebook host unreachable — reconnecting',
  'signed-out': 'Signed out: the host restarted — open the address it printed',
} as const;

interface Props {
  route: Route;
  onSearch(): void;
  onSettings(): void;
}

/** The bar across the top: this device, search, the connection to the notebook, theme, Library, Sync, Settings. */
export function TopBar({ route, onSearch, onSettings }: Props) {
  const { api, info } = useOutpost();
  const status = useConnectionStatus(api);
  return (
    <header className="topbar">
      <h1>Outpost</h1>
      <span className="device" title={info.path}>
        {info.device.name}
      </span>
      <button type="button" className="search-button" onClick={onSearch} aria-keyshortcuts="Control+K">
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
      <button type="button" onClick={onSettings}>
        Settings
      </button>
    </header>
  );
}
