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
  useStoreApi,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
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
import { useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { useHashRoute } from '../app/use-hash-route';
import type { Replica } from '../sync/replicas';
import { SyncBadge } from '../sync/SyncBadge';
import { EdgeCanvas, PAN_MARGIN, SETTLE_MS } from './EdgeCanvas';
import { edgeGeometry, hitTest, integrationLabel } from './edge-layer';
import { EXPORT_LABELS, type ExportKind, exportMap } from './exports';
import { ImportDialog } from './ImportDialog';
import { layoutInWorker } from './layout-client';
import { IntegrationPanel, SystemPanel, ZonesPanel } from './MapSidePanel';
import { SYSTEM_HANDLES, type SystemFlowNode, SystemNode, type ZoneFlowNode, ZoneNode } from './SystemNode';
import { TraceDialog } from './TraceDialog';
import './map.css';

const readDocMap = (doc: Y.Doc) => readMap(doc).map;
const miniMapColor = (node: { type?: string; data: unknown }) =>
  node.type === 'system'
    ? MAP_STATUS_COLORS[(node.data as { system: { status: keyof typeof MAP_STATUS_COLORS } }).system.status]
    : 'rgba(140,160,185,0.25)';
const nodeTypes = { system: SystemNode, zone: ZoneNode };
const SYSTEM_SIZE = { width: NODE_SIZE.width, height: NODE_SIZE.height };
/** Edits made in this editor (the undo manager tracks only these, not what arrives from others). */
const LOCAL = Symbol('map-editor');

type Selection = { kind: 'system' | 'integration'; id: string } | null;

/** Systems above which the map is "large": no minimap, and boxes without text when zoomed far out. */
const LARGE_MAP_SYSTEMS = 150;
/**
 * Integrations above which they are drawn on one canvas (EdgeCanvas) rather than as React Flow
 * edges, except the selected system's or integration's, which stay React Flow edges (labelled,
 * focusable, deletable). Any integration can be picked by clicking its line or from the selected
 * system's list of integrations in the side panel.
 */
const CANVAS_EDGES_ABOVE = 150;
/** Zoom below which boxes on a large map lose their text (once the zoom settles). */
const COMPACT_BELOW = 0.35;

/**
 * Classes on the canvas element that follow the zoom without rendering anything in React:
 * - map-zooming while the zoom changes: the viewport is then not its own composited layer.
 *   Chromium re-rasterises a will-change: transform layer at every new scale, which in software
 *   raster took seconds per wheel zoom on a large map; painting only what is in view is cheaper.
 *   Panning keeps the layer (moving it costs no paint).
 * - map-far on a large map zoomed out below COMPACT_BELOW, set once the zoom has settled: boxes
 *   without text (unreadable there, and most of a frame's paint).
 */
function useZoomClasses(element: React.RefObject<HTMLElement | null>, large: boolean, startFar: boolean) {
  const store = useStoreApi();
  // A large map opens fitted (far out) unless it opens on one system: far before the first fit.
  const opening = useRef(startFar);
  useLayoutEffect(() => {
    const el = element.current;
    if (!el) return;
    const settledFar = () => large && store.getState().transform[2] < COMPACT_BELOW;
    el.classList.toggle('map-far', large && (opening.current || settledFar()));
    opening.current = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((next, previous) => {
      if (next.transform[2] === previous.transform[2]) return;
      el.classList.add('map-zooming');
      clearTimeout(timer);
      timer = setTimeout(() => {
        el.classList.remove('map-zooming');
        el.classList.toggle('map-far', settledFar());
      }, SETTLE_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store, element, large]);
}

/**
 * The map of a replica, read again after each change of the doc. Read once when the editor mounts
 * (not a second time in the effect unless the doc changed in between): reading a map of thousands
 * of systems and re-rendering it is most of the cost of opening the tab.
 */
function useMapOf(doc: Y.Doc): EnvironmentMap {
  const [value, setValue] = useState(() => ({ map: readDocMap(doc), state: Y.encodeStateVector(doc) }));
  useEffect(() => {
    const state = Y.encodeStateVector(doc);
    setValue((current) =>
      current.state.length === state.length && current.state.every((b, i) => b === state[i]) ? current : { map: readDocMap(doc), state },
    );
    const onUpdate = () => setValue({ map: readDocMap(doc), state: Y.encodeStateVector(doc) });
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  }, [doc]);
  return value.map;
}

export function MapPane({ engagement }: { engagement: EngagementSummary }) {
  const replica = useReplica(docIdFor('engagement', engagement.id));
  // The editor mounts once the local copy is loaded: not first on an empty map, then again (fitted
  // anew) on the whole one.
  const [loaded, setLoaded] = useState<Replica | null>(null);
  useEffect(() => {
    if (!replica) return;
    let live = true;
    void replica.whenLoaded.then(() => live && setLoaded(replica));
    return () => {
      live = false;
    };
  }, [replica]);
  if (!replica || loaded !== replica) return <p className="muted">Opening…</p>;
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
  const map = useMapOf(doc);
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

  // Where each system is in the doc, and where it is shown (the doc, or where it is being dragged).
  const placedPositions = useMemo(() => {
    const placed = new Map<string, { x: number; y: number }>();
    let column = 0;
    for (const s of map.systems) {
      if (s.x !== null && s.y !== null) placed.set(s.id, { x: s.x, y: s.y });
      else {
        // Not placed yet (an import): a row below the origin until the next layout or drag.
        placed.set(s.id, { x: (column % 8) * (NODE_SIZE.width + 40), y: -200 - Math.floor(column / 8) * (NODE_SIZE.height + 40) });
        column++;
      }
    }
    return placed;
  }, [map.systems]);
  const positions = useMemo(() => {
    if (!dragging.size) return placedPositions;
    const placed = new Map(placedPositions);
    for (const [id, p] of dragging) if (placed.has(id)) placed.set(id, p);
    return placed;
  }, [placedPositions, dragging]);
  // The systems being dragged: changes when a drag starts or ends, not at every drag step.
  const draggedKey = [...dragging.keys()].sort().join(' ');

  // A link from a note (#/engagements/E/map/S) opens the map on that system (at zoom 1).
  const route = useHashRoute();
  const routeSystem = route.view === 'engagement' ? route.systemId : undefined;

  const large = map.systems.length > LARGE_MAP_SYSTEMS;

  // Node objects (and their data) are kept while nothing they show changes, so selecting a system
  // or dragging one re-renders that box only, not every box on the map.
  const nodeCache = useRef(new Map<string, SystemFlowNode>());
  const zoneCache = useRef(new Map<string, ZoneFlowNode>());
  const nodes = useMemo(() => {
    const boxes = zoneBoxes(map, positions);
    const zones = new Map<string, ZoneFlowNode>();
    const zoneNodes: ZoneFlowNode[] = map.zones.flatMap((zone) => {
      const box = boxes.get(zone.id);
      if (!box) return [];
      const kind = zone.name.toLowerCase() === ZONE_KIND_LABELS[zone.kind].toLowerCase() ? '' : ZONE_KIND_LABELS[zone.kind];
      const cached = zoneCache.current.get(zone.id);
      if (
        cached &&
        cached.position.x === box.x &&
        cached.position.y === box.y &&
        cached.width === box.width &&
        cached.height === box.height &&
        cached.data.label === zone.name &&
        cached.data.kind === kind
      ) {
        zones.set(zone.id, cached);
        return [cached];
      }
      const node: ZoneFlowNode = {
        id: `zone:${zone.id}`,
        type: 'zone' as const,
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        data: { label: zone.name, kind },
        draggable: false,
        selectable: false,
        connectable: false,
        focusable: false,
        zIndex: -1,
        // Declared, so React Flow never measures a zone (its box changes while a system is dragged).
        measured: { width: box.width, height: box.height },
        handles: [],
      };
      zones.set(zone.id, node);
      return [node];
    });
    zoneCache.current = zones;
    const cache = new Map<string, SystemFlowNode>();
    const systemNodes: SystemFlowNode[] = map.systems.map((system) => {
      const position = positions.get(system.id) ?? { x: 0, y: 0 };
      const selected = selection?.kind === 'system' && selection.id === system.id;
      const highlighted = highlight === system.id;
      const cached = nodeCache.current.get(system.id);
      const shown = cached?.data.system;
      const node: SystemFlowNode =
        cached &&
        shown &&
        cached.position.x === position.x &&
        cached.position.y === position.y &&
        cached.selected === selected &&
        cached.data.highlighted === highlighted &&
        shown.name === system.name &&
        shown.kind === system.kind &&
        shown.vendor === system.vendor &&
        shown.status === system.status
          ? cached
          : {
              id: system.id,
              type: 'system' as const,
              position,
              width: NODE_SIZE.width,
              height: NODE_SIZE.height,
              // Declared, so React Flow does not measure the box (on opening the map, for all of
              // them; while dragging, at every step): boxes have a fixed size (SystemNode.tsx).
              measured: SYSTEM_SIZE,
              handles: SYSTEM_HANDLES,
              data: { system, highlighted },
              selected,
              ariaLabel: `System ${system.name}`,
            };
      cache.set(system.id, node);
      return node;
    });
    nodeCache.current = cache;
    return [...zoneNodes, ...systemNodes];
  }, [map, positions, selection, highlight]);

  // On a large map most integrations are drawn on a canvas (EdgeCanvas); the selected system's and
  // the selected integration stay React Flow edges, labelled and selectable from the keyboard.
  const canvasEdges = map.integrations.length > CANVAS_EDGES_ABOVE;
  const { flowIntegrations, canvasIntegrations } = useMemo(() => {
    if (!canvasEdges) return { flowIntegrations: map.integrations, canvasIntegrations: [] };
    const related = (i: { id: string; from: string; to: string }) =>
      (selection?.kind === 'integration' && selection.id === i.id) ||
      (selection?.kind === 'system' && (selection.id === i.from || selection.id === i.to));
    return {
      flowIntegrations: map.integrations.filter(related),
      canvasIntegrations: map.integrations.filter((i) => !related(i)),
    };
  }, [map.integrations, selection, canvasEdges]);
  // While systems are dragged, the integrations that do not touch them keep their curves (and their
  // canvas keeps its drawing: one layer); only those of the dragged systems are recomputed and
  // redrawn at each drag step, on a second layer.
  const { staticIntegrations, movingIntegrations } = useMemo(() => {
    if (!draggedKey) return { staticIntegrations: canvasIntegrations, movingIntegrations: [] };
    const dragged = new Set(draggedKey.split(' '));
    const touches = (i: { from: string; to: string }) => dragged.has(i.from) || dragged.has(i.to);
    return {
      staticIntegrations: canvasIntegrations.filter((i) => !touches(i)),
      movingIntegrations: canvasIntegrations.filter(touches),
    };
  }, [canvasIntegrations, draggedKey]);
  const geometry = useMemo(() => edgeGeometry(staticIntegrations, placedPositions), [staticIntegrations, placedPositions]);
  const movingGeometry = useMemo(() => edgeGeometry(movingIntegrations, positions), [movingIntegrations, positions]);
  const edges = useMemo<Edge[]>(
    () =>
      flowIntegrations.map((i) => {
        const color = i.status === 'healthy' ? undefined : MAP_STATUS_COLORS[i.status];
        const label = integrationLabel(i);
        return {
          id: i.id,
          source: i.from,
          target: i.to,
          label: label || undefined,
          selected: selection?.kind === 'integration' && selection.id === i.id,
          markerEnd: { type: MarkerType.ArrowClosed, color },
          markerStart: i.direction === 'two-way' ? { type: MarkerType.ArrowClosed, color } : undefined,
          style: { stroke: color, strokeWidth: 1.6, strokeDasharray: i.status === 'planned' || i.status === 'retired' ? '5 4' : undefined },
          ariaLabel: `Integration ${label || 'unnamed'}`,
        };
      }),
    [flowIntegrations, selection],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const moved: { id: string; x: number; y: number }[] = [];
      const steps: { id: string; position: { x: number; y: number } }[] = [];
      for (const c of changes) {
        if (c.type === 'add' || c.type === 'replace' || c.id.startsWith('zone:')) continue;
        if (c.type === 'position' && c.position) {
          // While dragging, the position is only shown; when the drag ends (or a keyboard move),
          // it goes to the doc: one change, one undo step.
          if (c.dragging) steps.push({ id: c.id, position: c.position });
          else moved.push({ id: c.id, x: Math.round(c.position.x), y: Math.round(c.position.y) });
        }
        if (c.type === 'select') {
          if (c.selected) setSelection({ kind: 'system', id: c.id });
          else setSelection((s) => (s?.kind === 'system' && s.id === c.id ? null : s));
        }
        if (c.type === 'remove') change([{ op: 'removeSystem', id: c.id }]);
      }
      if (moved.length) change([{ op: 'moveSystems', positions: moved }]);
      if (steps.length || moved.length)
        setDragging((current) => {
          const next = new Map(current);
          for (const step of steps) next.set(step.id, step.position);
          for (const m of moved) next.delete(m.id);
          return next;
        });
    },
    [change],
  );

  // React Flow reports the end of a drag as position changes (dragging: false) before this: the doc
  // has the new positions already (written once). Anything left over is dropped.
  const onNodeDragStop = useCallback(() => setDragging((current) => (current.size ? new Map() : current)), []);

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
  useZoomClasses(canvasRef, large, !routeSystem);
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

  const applySystem = useCallback((id: string) => (patch: SystemPatch) => change([{ op: 'updateSystem', id, patch }]), [change]);
  const applyIntegration = useCallback(
    (id: string) => (patch: IntegrationPatch) => change([{ op: 'updateIntegration', id, patch }]),
    [change],
  );

  // The side panel and the list of names only change with the map or the selection: kept as they
  // are while a system is dragged (every drag step re-renders the editor).
  const side = useMemo(
    () => (
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
            onSelectIntegration={(id) => setSelection({ kind: 'integration', id })}
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
    ),
    [selectedSystem, selectedIntegration, map, engagement.id, change, connect, applySystem, applyIntegration],
  );
  const systemNames = useMemo(() => map.systems.slice(0, 2000).map((s) => <option key={s.id} value={s.name} />), [map.systems]);

  const exportAs = async (kind: ExportKind) => {
    try {
      await exportMap(api, readMap(doc).map, kind, engagement.codename);
      setStatus(`Exported ${EXPORT_LABELS[kind]}`);
    } catch (e) {
      setError(describe(e));
    }
  };

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
          <datalist id="map-system-names">{systemNames}</datalist>
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
            onPaneClick={(event) => {
              setHighlight(null);
              // A click on an integration drawn on the canvas selects it (within 6 px of its line).
              const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
              const hit = canvasEdges ? hitTest([...geometry, ...movingGeometry], at.x, at.y, 6 / flow.getZoom()) : null;
              setSelection(hit ? { kind: 'integration', id: hit.id } : null);
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
            {canvasEdges && <EdgeCanvas edges={geometry} margin={PAN_MARGIN} />}
            {canvasEdges && movingGeometry.length > 0 && <EdgeCanvas edges={movingGeometry} />}
            <Controls />
            {/* The minimap redraws every box on each pan: left out on large maps. */}
            {!large && <MiniMap pannable zoomable ariaLabel="Overview of the map" nodeColor={miniMapColor} />}
          </ReactFlow>
          {!map.systems.length && (
            <div className="map-empty">
              <p>No systems yet. “Add system” puts one on the canvas; drag from a system’s right dot to another to connect them.</p>
            </div>
          )}
        </div>
        {side}
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
