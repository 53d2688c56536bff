import { useMemo, useState } from 'react';
import type { EnvironmentMap } from '../../shared/map/model';
import type { SyncState } from '../sync/main-sync-provider';
import { SyncBadge } from '../sync/SyncBadge';
import { EXPORT_LABELS, type ExportKind } from './exports';

interface Props {
  map: EnvironmentMap;
  laying: boolean;
  undoState: { canUndo: boolean; canRedo: boolean };
  syncState: SyncState;
  onAddSystem(): void;
  onAutoLayout(): void;
  onUndo(): void;
  onRedo(): void;
  onFind(name: string): void;
  onTrace(): void;
  onImport(): void;
  onExport(kind: ExportKind): void;
}

/** The map's toolbar: add, lay out, undo/redo, find a system, trace, import and export. */
export function MapToolbar({
  map,
  laying,
  undoState,
  syncState,
  onAddSystem,
  onAutoLayout,
  onUndo,
  onRedo,
  onFind,
  onTrace,
  onImport,
  onExport,
}: Props) {
  const [search, setSearch] = useState('');
  // The list of names only changes with the map: kept while a system is dragged.
  const systemNames = useMemo(() => map.systems.slice(0, 2000).map((s) => <option key={s.id} value={s.name} />), [map.systems]);
  return (
    <div className="map-toolbar" role="toolbar" aria-label="Map tools">
      <button type="button" onClick={onAddSystem}>
        Add system
      </button>
      <button type="button" onClick={onAutoLayout} disabled={laying || !map.systems.length}>
        {laying ? 'Laying out…' : 'Auto-layout'}
      </button>
      <button type="button" onClick={onUndo} disabled={!undoState.canUndo} aria-keyshortcuts="Control+Z">
        Undo
      </button>
      <button type="button" onClick={onRedo} disabled={!undoState.canRedo} aria-keyshortcuts="Control+Shift+Z">
        Redo
      </button>
      <form
        className="map-search"
        onSubmit={(e) => {
          e.preventDefault();
          onFind(search);
        }}
      >
        <input
          type="search"
          aria-label="Find a system"
          placeholder="Find a system…"
          list="map-system-names"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <datalist id="map-system-names">{systemNames}</datalist>
        <button type="submit">Go</button>
      </form>
      <button type="button" onClick={onTrace} disabled={map.systems.length < 2}>
        Trace…
      </button>
      <button type="button" onClick={onImport}>
        Import CSV…
      </button>
      <label className="map-export">
        <span className="visually-hidden">Export the map</span>
        <select
          aria-label="Export the map"
          value=""
          onChange={(e) => {
            const kind = e.target.value as ExportKind;
            e.target.value = '';
            if (kind) onExport(kind);
          }}
        >
          <option value="">Export…</option>
          {(Object.keys(EXPORT_LABELS) as ExportKind[]).map((kind) => (
            <option key={kind} value={kind}>
              {EXPORT_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      <SyncBadge state={syncState} />
    </div>
  );
}
