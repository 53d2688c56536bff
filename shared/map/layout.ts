import { type EnvironmentMap, NODE_SIZE } from './model';

/** The subset of ELK's JSON graph that the map uses (elkjs's own types stay out of shared/). */
export interface ElkGraphNode {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  layoutOptions?: Record<string, string>;
  children?: ElkGraphNode[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
}

/** Layered, left to right (data flows to the right), as a person would draw it. */
export const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '36',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.cycleBreaking.strategy': 'GREEDY',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '60',
};

/**
 * Above this many systems, crossing minimisation (most of ELK's time: tens of seconds at 1,000
 * systems and 3,000 integrations) is cut to keeping the input order, which groups systems by zone;
 * layers still run left to right. Positions are only computed: edges are drawn by the editor.
 */
export const LARGE_LAYOUT = 250;
export const LARGE_LAYOUT_OPTIONS: Record<string, string> = {
  ...LAYOUT_OPTIONS,
  'elk.layered.thoroughness': '1',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.crossingMinimization.strategy': 'NONE',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.mergeEdges': 'true',
  'elk.edgeRouting': 'POLYLINE',
};

/**
 * The ELK graph for a map. Children are ordered by zone, which keeps a zone's systems close
 * in most layouts; zones are drawn around their
 * systems afterwards (a flat layout is much faster than a hierarchical one on large maps).
 */
export function buildLayoutGraph(map: EnvironmentMap): ElkGraphNode {
  const zoneOrder = new Map(map.zones.map((z, i) => [z.id, i]));
  const systems = [...map.systems].sort((a, b) => (zoneOrder.get(a.zone) ?? -1) - (zoneOrder.get(b.zone) ?? -1));
  return {
    id: 'root',
    layoutOptions: map.systems.length > LARGE_LAYOUT ? LARGE_LAYOUT_OPTIONS : LAYOUT_OPTIONS,
    children: systems.map((s) => ({ id: s.id, width: NODE_SIZE.width, height: NODE_SIZE.height })),
    edges: map.integrations.filter((i) => i.from !== i.to).map((i) => ({ id: i.id, sources: [i.from], targets: [i.to] })),
  };
}

export interface Position {
  id: string;
  x: number;
  y: number;
}

/** Positions (top-left corners, rounded) from a laid-out graph. */
export function positionsFromLayout(graph: ElkGraphNode): Position[] {
  return (graph.children ?? []).map((c) => ({ id: c.id, x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }));
}

/** Positions for systems that have none yet: a grid below everything already placed. */
export function fillMissingPositions(map: EnvironmentMap): Map<string, { x: number; y: number }> {
  const placed = new Map<string, { x: number; y: number }>();
  let maxY = Number.NEGATIVE_INFINITY;
  for (const s of map.systems) {
    if (s.x !== null && s.y !== null) {
      placed.set(s.id, { x: s.x, y: s.y });
      maxY = Math.max(maxY, s.y);
    }
  }
  const startY = Number.isFinite(maxY) ? maxY + NODE_SIZE.height + 60 : 0;
  const missing = map.systems.filter((s) => !placed.has(s.id));
  const columns = Math.max(1, Math.ceil(Math.sqrt(missing.length)));
  missing.forEach((s, i) => {
    placed.set(s.id, { x: (i % columns) * (NODE_SIZE.width + 40), y: startY + Math.floor(i / columns) * (NODE_SIZE.height + 40) });
  });
  return placed;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const ZONE_PADDING = 24;
export const ZONE_HEADER = 26;

/** Each zone's box around its systems (zones without systems get none). */
export function zoneBoxes(map: EnvironmentMap, positions: Map<string, { x: number; y: number }>): Map<string, Box> {
  const boxes = new Map<string, Box>();
  for (const zone of map.zones) {
    let x1 = Number.POSITIVE_INFINITY;
    let y1 = Number.POSITIVE_INFINITY;
    let x2 = Number.NEGATIVE_INFINITY;
    let y2 = Number.NEGATIVE_INFINITY;
    for (const s of map.systems) {
      const p = s.zone === zone.id ? positions.get(s.id) : undefined;
      if (!p) continue;
      x1 = Math.min(x1, p.x);
      y1 = Math.min(y1, p.y);
      x2 = Math.max(x2, p.x + NODE_SIZE.width);
      y2 = Math.max(y2, p.y + NODE_SIZE.height);
    }
    if (!Number.isFinite(x1)) continue;
    boxes.set(zone.id, {
      x: x1 - ZONE_PADDING,
      y: y1 - ZONE_PADDING - ZONE_HEADER,
      width: x2 - x1 + 2 * ZONE_PADDING,
      height: y2 - y1 + 2 * ZONE_PADDING + ZONE_HEADER,
    });
  }
  return boxes;
}
