import type { SyncState } from './main-sync-provider';

const LABELS: Record<SyncState, string> = {
  syncing: 'Syncing with the notebook…',
  saving: 'Saving…',
  saved: 'Saved to the notebook',
  offline: 'Host unreachable — changes are kept in this window and saved when it is back',
};

/** Where the open document's edits are: a live region, so screen readers hear it change. */
export function SyncBadge({ state }: { state: SyncState }) {
  return (
    <span role="status" className={`sync sync-${state}`}>
      {LABELS[state]}
    </span>
  );
}
