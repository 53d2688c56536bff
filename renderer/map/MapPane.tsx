import { Background, type Connection, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EngagementSummary } from '../../shared/engagements/model';
import { docIdFor } from '../../shared/ids';
import { type EnvironmentMap, MAP_STATUS_COLORS } from '../../shared/map/model';
import { useOutpost, useReplica, useSyncState } from '../app/outpost-context';
import { useHashRoute } from '../app/use-hash-route';
import type { Replica } from '../sync/replicas';
import { EdgeCanvas, PAN_MARGIN } from './EdgeCanvas';
import { hitTest } from './edge-layer';
import { ImportDialog } from './ImportDialog';
import { MapSelectionPanel } from './MapSelectionPanel';
import { MapToolbar } from './MapToolbar';
import type { MapSelection } from './map-selection';
import { SystemNode, ZoneNode } from './SystemNode';
import { TraceDialog } from './TraceDialog';
import { useMapActions, useShowRoutedSystem } from './use-map-actions';
import { useMapChanges, useUndoKeys } from './use-map-changes';
import { useMapEdges } from './use-map-edges';
import { useMapNodes, useSystemPositions } from './use-map-nodes';
import { useMapOf } from './use-map-of';
import { useNodeChanges } from './use-node-changes';
import { useZoomClasses } from './use-zoom-classes';
import './map.css';

const miniMapColor = (node: { type?: string; data: unknown }) =>
  node.type === 'system'
    ? MAP_STATUS_COLORS[(node.data as { system: { status: keyof typeof MAP_STATUS_COLORS } }).system.status]
    : 'rgba(140,160,185,0.25)';
const nodeTypes = { system: SystemNode, zone: ZoneNode };

/** Systems above which the map is "large": no minimap, and boxes without text when zoomed far out. */
const LARGE_MAP_SYSTEMS = 150;

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

/** The map of one engagement: toolbar, status line, canvas, side panel and dialogs. */
function MapEditor({ replica, engagement }: { replica: Replica; engagement: EngagementSummary }) {
  const doc = replica.doc;
  const map = useMapOf(doc);
  const syncState = useSyncState(replica);
  const flow = useReactFlow();
  const { api } = useOutpost();
  const [selection, setSelection] = useState<MapSelection>(null);
  const [status, setStatus] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  const [laying, setLaying] = useState(false);
  const [dialog, setDialog] = useState<null | 'import' | { trace: string | null }>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const feedback = useMemo(() => ({ setStatus, setError, setSelection, setHighlight }), []);

  const { undo, undoState, apply, change } = useMapChanges(doc, setError);
  const { dragging, draggedKey, onNodesChange, onNodeDragStop } = useNodeChanges(change, setSelection);
  const { placedPositions, positions } = useSystemPositions(map.systems, dragging);
  const nodes = useMapNodes(map, positions, selection, highlight);
  const { canvasEdges, geometry, movingGeometry, edges } = useMapEdges(map.integrations, selection, draggedKey, placedPositions, positions);
  const actions = useMapActions({ doc, map, positions, apply, change, api, codename: engagement.codename, feedback, setLaying });

  const route = useHashRoute();
  const routeSystem = route.view === 'engagement' ? route.systemId : undefined;
  useShowRoutedSystem(doc, routeSystem, map.systems.length, feedback);

  const large = map.systems.length > LARGE_MAP_SYSTEMS;
  const canvasRef = useRef<HTMLDivElement>(null);
  useZoomClasses(canvasRef, large, !routeSystem);
  useUndoKeys(canvasRef, undo);

  const onConnect = useCallback(
    (connection: Connection) => {
      if (connection.source && connection.target) actions.connect(connection.source, connection.target);
    },
    [actions.connect],
  );
  const traceFrom = useCallback((systemId: string) => setDialog({ trace: systemId }), []);
  const selectedSystemId = selection?.kind === 'system' ? selection.id : null;

  return (
    <section className="map-view" aria-label="Environment map">
      <MapToolbar
        map={map}
        laying={laying}
        undoState={undoState}
        syncState={syncState}
        onAddSystem={actions.addSystem}
        onAutoLayout={() => void actions.autoLayout()}
        onUndo={() => undo.undo()}
        onRedo={() => undo.redo()}
        onFind={actions.jumpTo}
        onTrace={() =>
          setDialog({ trace: selectedSystemId && map.systems.some((s) => s.id === selectedSystemId) ? selectedSystemId : null })
        }
        onImport={() => setDialog('import')}
        onExport={(kind) => void actions.exportAs(kind)}
      />
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
        <MapSelectionPanel
          map={map}
          selection={selection}
          engagementId={engagement.id}
          change={change}
          connect={actions.connect}
          setSelection={setSelection}
          onTraceFrom={traceFrom}
        />
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
            if (system) actions.jumpTo(system.name);
          }}
        />
      )}
    </section>
  );
}

export type { EnvironmentMap };
