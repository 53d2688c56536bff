import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { type AppliedChanges, readMap } from '../../shared/map/doc';
import { type EnvironmentMap, type MapChange, NODE_SIZE } from '../../shared/map/model';
import type { ApiClient } from '../api/client';
import { EXPORT_LABELS, type ExportKind, exportMap } from './exports';
import { layoutInWorker } from './layout-client';
import { describeMapError, type MapSelection } from './map-selection';

type Point = { x: number; y: number };

/** Where the editor says what happened: the status line, its error, the selection, the highlight. */
export interface MapFeedback {
  setStatus(status: string): void;
  setError(error: string | null): void;
  setSelection: React.Dispatch<React.SetStateAction<MapSelection>>;
  setHighlight(id: string | null): void;
}

interface ActionsInput {
  doc: Y.Doc;
  map: EnvironmentMap;
  positions: Map<string, Point>;
  apply(changes: MapChange[]): AppliedChanges;
  change(changes: MapChange[]): string | null;
  api: ApiClient;
  codename: string;
  feedback: MapFeedback;
  setLaying(laying: boolean): void;
}

/** The toolbar's and side panel's actions: add, connect, lay out, find, export. */
export function useMapActions({ doc, map, positions, apply, change, api, codename, feedback, setLaying }: ActionsInput) {
  const flow = useReactFlow();
  const { setStatus, setError, setSelection, setHighlight } = feedback;

  /** Adds an integration and selects it, so its protocol and format can be filled in at once. */
  const connect = useCallback(
    (from: string, to: string) => {
      try {
        const { created } = apply([{ op: 'addIntegration', integration: { from, to } }]);
        setSelection({ kind: 'integration', id: created[0] as string });
        setStatus('Integration added');
        setError(null);
      } catch (e) {
        setError(describeMapError(e));
      }
    },
    [apply, setSelection, setStatus, setError],
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
      const { created } = apply([{ op: 'addSystem', system: { name: `New system ${n}`, x, y } }]);
      setSelection({ kind: 'system', id: created[0] as string });
      setStatus(`Added New system ${n}`);
    } catch (e) {
      setError(describeMapError(e));
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
      setError(describeMapError(e));
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

  const exportAs = async (kind: ExportKind) => {
    try {
      await exportMap(api, readMap(doc).map, kind, codename);
      setStatus(`Exported ${EXPORT_LABELS[kind]}`);
    } catch (e) {
      setError(describeMapError(e));
    }
  };

  return { connect, addSystem, autoLayout, jumpTo, exportAs };
}

/** A link from a note (#/engagements/E/map/S) opens the map on that system (at zoom 1), once. */
export function useShowRoutedSystem(doc: Y.Doc, routeSystem: string | undefined, systemCount: number, feedback: MapFeedback) {
  const flow = useReactFlow();
  const shownFor = useRef<string | null>(null);
  const { setStatus, setSelection, setHighlight } = feedback;
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
  }, [routeSystem, systemCount, doc, flow, setStatus, setSelection, setHighlight]);
}
