import { useMemo, useRef } from 'react';
import { zoneBoxes } from '../../shared/map/layout';
import { type EnvironmentMap, NODE_SIZE, ZONE_KIND_LABELS } from '../../shared/map/model';
import type { MapSelection } from './map-selection';
import { SYSTEM_HANDLES, type SystemFlowNode, type ZoneFlowNode } from './SystemNode';

type Point = { x: number; y: number };
const SYSTEM_SIZE = { width: NODE_SIZE.width, height: NODE_SIZE.height };

/** Where each system is in the doc, and where it is shown (the doc, or where it is being dragged). */
export function useSystemPositions(systems: EnvironmentMap['systems'], dragging: Map<string, Point>) {
  const placedPositions = useMemo(() => {
    const placed = new Map<string, Point>();
    let column = 0;
    for (const s of systems) {
      if (s.x !== null && s.y !== null) placed.set(s.id, { x: s.x, y: s.y });
      else {
        // Not placed yet (an import): a row below the origin until the next layout or drag.
        placed.set(s.id, { x: (column % 8) * (NODE_SIZE.width + 40), y: -200 - Math.floor(column / 8) * (NODE_SIZE.height + 40) });
        column++;
      }
    }
    return placed;
  }, [systems]);
  const positions = useMemo(() => {
    if (!dragging.size) return placedPositions;
    const placed = new Map(placedPositions);
    for (const [id, p] of dragging) if (placed.has(id)) placed.set(id, p);
    return placed;
  }, [placedPositions, dragging]);
  return { placedPositions, positions };
}

/**
 * React Flow nodes for the zones and systems. Node objects (and their data) are kept while nothing
 * they show changes, so selecting a system or dragging one re-renders that box only, not every box
 * on the map.
 */
export function useMapNodes(map: EnvironmentMap, positions: Map<string, Point>, selection: MapSelection, highlight: string | null) {
  const nodeCache = useRef(new Map<string, SystemFlowNode>());
  const zoneCache = useRef(new Map<string, ZoneFlowNode>());
  return useMemo(() => {
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
}
