import {
  Background,
  type Connection,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { EngagementSummary } from '../../shared/engagements/model';
import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { applyMapChanges, mapTypes, readMap } from '../../shared/map/doc';
import { zoneBoxes } from '../../shared/map/layout';
import {
  type EnvironmentMap,
  type IntegrationPatch,
  MAP_STATUS_COLORS,
  type MapChange,
  NODE_SIZE,
  type SystemPatch,
  ZONE_KIND_LABELS,
  type ZoneKind,
} from '../../shared/map/model';
import { withoutFieldKey } from '../app/modal';
import { useDocValue, useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { useHashRoute } from '../app/use-hash-route';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { EXPORT_LABELS, type ExportKind, exportMap } from './exports';
import { ImportDialog } from './ImportDialog';
import { layoutInWorker } from './layout-client';
import { IntegrationPanel, SystemPanel, ZonesPanel } from './MapSidePanel';
import { type SystemFlowNode, SystemNode, type ZoneFlowNode, ZoneNode } from './SystemNode';
import { TraceDialog } from './TraceDialog';
import './map.css';

const readDocMap = (doc: Y.Doc) => readMap(doc).map;
const miniMapColor = (node: { type?: string; data: unknown }) =>
  node.type === 'system'
    ? MAP_STATUS_COLORS[(node.data as { system: { status: keyof typeof MAP_STATUS_COLORS } }).system.status]
    : 'rgba(140,160,185,0.25)';
const nodeTypes = { system: SystemNode, zone: ZoneNode };
/** Edits made in this editor (the undo manager tracks only these, not what arrives from others). */
const LOCAL = Symbol('map-editor');

type Selection = { kind: 'system' | 'integration'; id: string } | null;

export function MapPane({ engagement }: { engagement: EngagementSummary }) {
  const replica = useReplica(docIdFor('engagement', engagement.id));
  if (!replica) return <p className="muted">Opening…</p>;
  return (
    <ReactFlowProvider>
      <MapEditor replica={replica} engagement={engagement} />
    </ReactFlowProvider>
  );
}

function describe(error: unknown): string {
  if (error instanceof OutpostError) return error.details?.map(withoutFieldKey).join('; ') || error.message;
  return (error as Error).message;
}

function MapEditor({ replica, engagement }: { replica: Replica; engagement: EngagementSummary }) {
  const doc = replica.doc;
  const map = useDocValue(doc, readDocMap) ?? readDocMap(doc);
  const syncState = useSyncState(replica);
  const flow = useReactFlow();
  const { api } = useOutpost();
  const [selection, setSelection] = useState<Selection>(null);
  const [dragging, setDragging] = useState<Map<string, { x: number; y: number }>>(new Map());
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [laying, setLaying] = useState(false);
  const [dialog, setDialog] = useState<null | 'import' | { trace: string | null }>(null);
  const [search, setSearch] = useState('');
  const [highlight, setHighlight] = useState<string | null>(null);

  const undo = useMemo(() => new Y.UndoManager(mapTypes(doc), { trackedOrigins: new Set([LOCAL]), captureTimeout: 400 }), [doc]);
  useEffect(() => () => undo.destroy(), [undo]);
  const [undoState, setUndoState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    const update = () => setUndoState({ canUndo: undo.canUndo(), canRedo: undo.canRedo() });
    undo.on('stack-item-added', update);
    undo.on('stack-item-popped', update);
    undo.on('stack-cleared', update);
    return () => {
      undo.off('stack-item-added', update);
      undo.off('stack-item-popped', update);
      undo.off('stack-cleared', update);
    };
  }, [undo]);

  /**
   * Applies changes to the replica (validated first); returns why they were refused, or null.
   * Typing in one field merges into one undo step; a different field, object or kind of change
   * starts a new one.
   */
  const lastKind = useRef('');
  const apply = useCallback(
    (changes: MapChange[]) => {
      const kind = changes.map((c) => `${c.op}:${'id' in c ? c.id : ''}:${'patch' in c ? Object.keys(c.patch).join(',') : ''}`).join('|');
      const typing = kind === lastKind.current && changes.every((c) => c.op.startsWith('update'));
      if (!typing) undo.stopCapturing();
      lastKind.current = kind;
      return applyMapChanges(doc, changes, LOCAL);
    },
    [doc, undo],
  );
  const change = useCallback(
    (changes: MapChange[]): string | null => {
      try {
        apply(changes);
        setError(null);
        return null;
      } catch (e) {
        const message = describe(e);
        return message;
      }
    },
    [apply],
  );

  const positions = useMemo(() => {
    const placed = new Map<string, { x: number; y: number }>();
    let column = 0;
    for (const s of map.systems) {
      const override = dragging.get(s.id);
      if (override) placed.set(s.id, override);
      else if (s.x !== null && s.y !== null) placed.set(s.id, { x: s.x, y: s.y });
      else {
        // Not placed yet (an import): a row below the origin until the next layout or drag.
        placed.set(s.id, { x: (column % 8) * (NODE_SIZE.width + 40), y: -200 - Math.floor(column / 8) * (NODE_SIZE.height + 40) });
        column++;
      }
    }
    return placed;
  }, [map.systems, dragging]);

  // Zoomed far out, text is unreadable and costs most of a frame on a large map: boxes only.
  const compact = useStore((state) => state.transform[2] < 0.35) && map.systems.length > 150;
  const nodes = useMemo(() => {
    const boxes = zoneBoxes(map, positions);
    const zoneNodes: ZoneFlowNode[] = map.zones.flatMap((zone) => {
      const box = boxes.get(zone.id);
      if (!box) return [];
      return [
        {
          id: `zone:${zone.id}`,
          type: 'zone' as const,
          position: { x: box.x, y: box.y },
          width: box.width,
          height: box.height,
          data: {
            label: zone.name,
            kind: zone.name.toLowerCase() === ZONE_KIND_LABELS[zone.kind].toLowerCase() ? '' : ZONE_KIND_LABELS[zone.kind],
          },
          draggable: false,
          selectable: false,
          connectable: false,
          focusable: false,
          zIndex: -1,
        },
      ];
    });
    const systemNodes: SystemFlowNode[] = map.systems.map((system) => ({
      id: system.id,
      type: 'system' as const,
      position: positions.get(system.id) ?? { x: 0, y: 0 },
      width: NODE_SIZE.width,
      height: NODE_SIZE.height,
      data: { system, highlighted: highlight === system.id, compact },
      selected: selection?.kind === 'system' && selection.id === system.id,
      ariaLabel: `System ${system.name}`,
    }));
    return [...zoneNodes, ...systemNodes];
  }, [map, positions, selection, highlight, compact]);

  // Edge labels cost a text measurement each: on a busy map they show once zoomed in enough to read.
  const readable = useStore((state) => state.transform[2] >= 0.6);
  // Above 1,000 integrations even a readable zoom would put thousands of labels in the page:
  // then only the selected system's integrations (and a selected integration) are labelled.
  const showLabels = map.integrations.length <= 150 || (readable && map.integrations.length <= 1000);
  const edges = useMemo<Edge[]>(() => {
    const labelled = (i: { id: string; from: string; to: string }) =>
      showLabels ||
      (selection?.kind === 'integration' && selection.id === i.id) ||
      (selection?.kind === 'system' && (selection.id === i.from || selection.id === i.to));
    return map.integrations.map((i) => {
      const color = i.status === 'healthy' ? undefined : MAP_STATUS_COLORS[i.status];
      const label = [i.label, i.protocol, i.format].filter(Boolean).join(' · ');
      return {
        id: i.id,
        source: i.from,
        target: i.to,
        label: labelled(i) && label ? label : undefined,
        selected: selection?.kind === 'integration' && selection.id === i.id,
        markerEnd: { type: MarkerType.ArrowClosed, color },
        markerStart: i.direction === 'two-way' ? { type: MarkerType.ArrowClosed, color } : undefined,
        style: { stroke: color, strokeWidth: 1.6, strokeDasharray: i.status === 'planned' || i.status === 'retired' ? '5 4' : undefined },
        ariaLabel: `Integration ${label || 'unnamed'}`,
      };
    });
  }, [map.integrations, selection, showLabels]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const moved: { id: string; x: number; y: number }[] = [];
      let next: Map<string, { x: number; y: number }> | null = null;
      for (const c of changes) {
        if (c.type === 'add' || c.type === 'replace' || c.id.startsWith('zone:')) continue;
        if (c.type === 'position' && c.position) {
          next ??= new Map(dragging);
          if (c.dragging) next.set(c.id, c.position);
          else {
            // The drag ended: the position goes to the doc (one change, one undo step).
            next.delete(c.id);
            moved.push({ id: c.id, x: Math.round(c.position.x), y: Math.round(c.position.y) });
          }
        }
        if (c.type === 'select') {
          if (c.selected) setSelection({ kind: 'system', id: c.id });
          else setSelection((s) => (s?.kind === 'system' && s.id === c.id ? null : s));
        }
        if (c.type === 'remove') change([{ op: 'removeSystem', id: c.id }]);
      }
      if (moved.length) change([{ op: 'moveSystems', positions: moved }]);
      if (next) setDragging(next);
    },
    [dragging, change],
  );

  const onNodeDragStop = useCallback(
    (_event: unknown, _node: unknown, dragged: { id: string; position: { x: number; y: number } }[]) => {
      const moved = dragged
        .filter((n) => !n.id.startsWith('zone:'))
        .map((n) => ({ id: n.id, x: Math.round(n.position.x), y: Math.round(n.position.y) }));
      if (moved.length) change([{ op: 'moveSystems', positions: moved }]);
      setDragging(new Map());
    },
    [change],
  );

  /** Adds an integration and selects it, so its protocol and format can be filled in at once. */
  const connect = useCallback(
    (from: string, to: string) => {
      try {
        const { created } = apply([{ op: 'addIntegration', integration: { from, to } }]);
        setSelection({ kind: 'integration', id: created[0] as string });
        setStatus('Integration added');
        setError(null);
      } catch (e) {
        setError(describe(e));
      }
    },
    [apply],
  );

  const onConnect = useCallback(
    (connection: Connection) => {
      if (connection.source && connection.target) connect(connection.source, connection.target);
    },
    [connect],
  );

  const addSystem = () => {
    const rect = document.querySelector('.map-canvas')?.getBoundingClientRect();
    const center = rect ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 }) : { x: 0, y: 0 };
    // A free spot near the centre of the view: step right, then down, past the systems there.
    let x = Math.round(center.x - NODE_SIZE.width / 2);
    let y = Math.round(center.y - NODE_SIZE.height / 2);
    const overlaps = (px: number, py: number) =>
      [...positions.values()].some((p) => Math.abs(p.x - px) < NODE_SIZE.width + 20 && Math.abs(p.y - py) < NODE_SIZE.height + 20);
    for (let step = 0; step < 200 && overlaps(x, y); step++) {
      if (step % 4 === 3) {
        x -= 3 * (NODE_SIZE.width + 60);
        y += NODE_SIZE.height + 40;
      } else x += NODE_SIZE.width + 60;
    }
    const taken = new Set(map.systems.map((s) => s.name.toLowerCase()));
    let n = map.systems.length + 1;
    while (taken.has(`new system ${n}`)) n++;
    try {
      const { created } = apply([
        {
          op: 'addSystem',
          system: {
            name: `New system ${n}`,
            x,
            y,
          },
        },
      ]);
      setSelection({ kind: 'system', id: created[0] as string });
      setStatus(`Added New system ${n}`);
    } catch (e) {
      setError(describe(e));
    }
  };

  const autoLayout = async () => {
    setLaying(true);
    setError(null);
    try {
      const placed = await layoutInWorker(readMap(doc).map);
      // Keep only systems still on the map (it may have changed while the worker ran).
      const present = new Set(readMap(doc).map.systems.map((s) => s.id));
      const refused = change([{ op: 'moveSystems', positions: placed.filter((p) => present.has(p.id)) }]);
      if (refused) setError(refused);
      else {
        setStatus(`Laid out ${placed.length} systems`);
        requestAnimationFrame(() => flow.fitView({ duration: 200 }));
      }
    } catch (e) {
      setError(describe(e));
    } finally {
      setLaying(false);
    }
  };

  const jumpTo = (name: string) => {
    const wanted = name.trim().toLowerCase();
    if (!wanted) return;
    const system =
      map.systems.find((s) => s.name.toLowerCase() === wanted) ?? map.systems.find((s) => s.name.toLowerCase().includes(wanted));
    if (!system) {
      setStatus(`No system matches “${name}”`);
      return;
    }
    const p = positions.get(system.id) ?? { x: 0, y: 0 };
    void flow.setCenter(p.x + NODE_SIZE.width / 2, p.y + NODE_SIZE.height / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
    setSelection({ kind: 'system', id: system.id });
    setHighlight(system.id);
    setStatus(`Showing ${system.name}`);
  };

  // Undo/redo from the keyboard while the canvas (not a form field) has focus.
  const canvasRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = canvasRef.current;
    if (!el) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      e.preventDefault();
      if (e.shiftKey) undo.redo();
      else undo.undo();
    };
    el.addEventListener('keydown', onKey);
    return () => el.removeEventListener('keydown', onKey);
  }, [undo]);

  // A link from a note (#/engagements/E/map/S) opens the map on that system.
  const route = useHashRoute();
  const routeSystem = route.view === 'engagement' ? route.systemId : undefined;
  const shownFor = useRef<string | null>(null);
  const systemCount = map.systems.length;
  useEffect(() => {
    if (!routeSystem || shownFor.current === routeSystem || !systemCount) return;
    const system = readMap(doc).map.systems.find((s) => s.id === routeSystem);
    if (!system) {
      setStatus('The linked system is no longer on this map');
      return;
    }
    shownFor.current = routeSystem;
    setSelection({ kind: 'system', id: system.id });
    setHighlight(system.id);
    setStatus(`Showing ${system.name}`);
    const x = (system.x ?? 0) + NODE_SIZE.width / 2;
    const y = (system.y ?? 0) + NODE_SIZE.height / 2;
    requestAnimationFrame(() => void flow.setCenter(x, y, { zoom: 1, duration: 0 }));
  }, [routeSystem, systemCount, doc, flow]);

  const selectedSystem = selection?.kind === 'system' ? map.systems.find((s) => s.id === selection.id) : undefined;
  const selectedIntegration = selection?.kind === 'integration' ? map.integrations.find((i) => i.id === selection.id) : undefined;

  const applySystem = (id: string) => (patch: SystemPatch) => change([{ op: 'updateSystem', id, patch }]);
  const applyIntegration = (id: string) => (patch: IntegrationPatch) => change([{ op: 'updateIntegration', id, patch }]);

  const exportAs = async (kind: ExportKind) => {
    try {
      await exportMap(api, readMap(doc).map, kind, engagement.codename);
      setStatus(`Exported ${EXPORT_LABELS[kind]}`);
    } catch (e) {
      setError(describe(e));
    }
  };

  /** The minimap redraws every box on each pan: left out on large maps. */
  const large = map.systems.length > 150;

  return (
    <section className="map-view" aria-label="Environment map">
      <div className="map-toolbar" role="toolbar" aria-label="Map tools">
        <button type="button" onClick={addSystem}>
          Add system
        </button>
        <button type="button" onClick={() => void autoLayout()} disabled={laying || !map.systems.length}>
          {laying ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button type="button" onClick={() => undo.undo()} disabled={!undoState.canUndo} aria-keyshortcuts="Control+Z">
          Undo
        </button>
        <button type="button" onClick={() => undo.redo()} disabled={!undoState.canRedo} aria-keyshortcuts="Control+Shift+Z">
          Redo
        </button>
        <form
          className="map-search"
          onSubmit={(e) => {
            e.preventDefault();
            jumpTo(search);
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
          <datalist id="map-system-names">
            {map.systems.slice(0, 2000).map((s) => (
              <option key={s.id} value={s.name} />
            ))}
          </datalist>
          <button type="submit">Go</button>
        </form>
        <button type="button" onClick={() => setDialog({ trace: selectedSystem?.id ?? null })} disabled={map.systems.length < 2}>
          Trace…
        </button>
        <button type="button" onClick={() => setDialog('import')}>
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
              if (kind) void exportAs(kind);
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
      <p className="map-status" aria-live="polite">
        {error ? <span className="field-error">{error}</span> : status}
        <span className="muted">
          {' '}
          {map.systems.length} systems · {map.integrations.length} integrations · {map.zones.length} zones
        </span>
      </p>
      <div className="map-body">
        <div className="map-canvas" ref={canvasRef}>
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStop={onNodeDragStop}
            onConnect={onConnect}
            onEdgeClick={(_, edge) => setSelection({ kind: 'integration', id: edge.id })}
            onPaneClick={() => {
              setSelection(null);
              setHighlight(null);
            }}
            onEdgesDelete={(deleted) => change(deleted.map((e) => ({ op: 'removeIntegration' as const, id: e.id })))}
            deleteKeyCode={['Delete', 'Backspace']}
            // onlyRenderVisibleElements was measured slower here (bench/map.ts: 4 fps panning at zoom 1,
            // 1,000 systems): mounting and measuring boxes while panning costs more than keeping them.
            minZoom={0.05}
            maxZoom={2.5}
            fitView={!routeSystem}
            proOptions={{ hideAttribution: true }}
            aria-label="Map canvas"
          >
            <Background gap={24} />
            <Controls />
            {!large && <MiniMap pannable zoomable ariaLabel="Overview of the map" nodeColor={miniMapColor} />}
          </ReactFlow>
          {!map.systems.length && (
            <div className="map-empty">
              <p>No systems yet. “Add system” puts one on the canvas; drag from a system’s right dot to another to connect them.</p>
            </div>
          )}
        </div>
        <aside className="map-side">
          {selectedSystem ? (
            <SystemPanel
              key={selectedSystem.id}
              system={selectedSystem}
              map={map}
              engagementId={engagement.id}
              apply={applySystem(selectedSystem.id)}
              onDelete={() => {
                change([{ op: 'removeSystem', id: selectedSystem.id }]);
                setSelection(null);
              }}
              onTraceFrom={() => setDialog({ trace: selectedSystem.id })}
              onConnect={(to) => connect(selectedSystem.id, to)}
            />
          ) : selectedIntegration ? (
            <IntegrationPanel
              key={selectedIntegration.id}
              integration={selectedIntegration}
              map={map}
              apply={applyIntegration(selectedIntegration.id)}
              onDelete={() => {
                change([{ op: 'removeIntegration', id: selectedIntegration.id }]);
                setSelection(null);
              }}
            />
          ) : (
            <ZonesPanel
              map={map}
              onAdd={(name: string, kind: ZoneKind) => change([{ op: 'addZone', zone: { name, kind } }])}
              onRename={(id, name) => change([{ op: 'updateZone', id, patch: { name } }])}
              onKind={(id, kind) => change([{ op: 'updateZone', id, patch: { kind } }])}
              onRemove={(id) => change([{ op: 'removeZone', id }])}
            />
          )}
        </aside>
      </div>
      {dialog === 'import' && <ImportDialog engagementId={engagement.id} onClose={() => setDialog(null)} onImported={setStatus} />}
      {dialog && dialog !== 'import' && (
        <TraceDialog
          map={map}
          initialFrom={dialog.trace}
          onClose={() => setDialog(null)}
          onShow={(id) => {
            setDialog(null);
            const system = map.systems.find((s) => s.id === id);
            if (system) jumpTo(system.name);
          }}
        />
      )}
    </section>
  );
}

export type { EnvironmentMap };
