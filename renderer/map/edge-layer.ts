/**
 * Integrations drawn on one <canvas> instead of one SVG element each: on a map of thousands of
 * integrations the single edge SVG React Flow builds is redrawn for every newly exposed tile while
 * panning and re-laid-out on every zoom step. Here each integration is a cubic Bézier with the
 * same geometry as React Flow's default edge (source handle on the right, target on the left),
 * batched into one path per style, so a frame is a handful of stroke calls under one transform.
 */
import { MAP_STATUS_COLORS, type MapIntegration, NODE_SIZE } from '../../shared/map/model';

/** React Flow's default edge colour (the edges it draws itself look the same). */
export const HEALTHY_EDGE_COLOR = '#b1b1b7';
/** Handles are 8 px dots centred on the box edge: edges start and end on their outer side. */
const HANDLE_OUTSET = 4;
const STROKE_WIDTH = 1.6;
/** ArrowClosed at stroke width 1.6, as React Flow draws it: 5 long, 8 wide (flow units). */
const ARROW_LENGTH = 5;
const ARROW_HALF_WIDTH = 4;
const CURVATURE = 0.25;

export interface EdgeGeometry {
  id: string;
  /** Start, the two control points and end of the curve, in flow coordinates. */
  sx: number;
  sy: number;
  c1x: number;
  c1y: number;
  c2x: number;
  c2y: number;
  tx: number;
  ty: number;
  /** Bounding box of the control polygon (contains the curve). */
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  style: string;
  twoWay: boolean;
  label: string;
}

export interface EdgeStyle {
  color: string;
  dashed: boolean;
}

/** Same control offset as React Flow's getBezierPath. */
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : CURVATURE * 25 * Math.sqrt(-distance);
}

export function edgeStyleKey(i: Pick<MapIntegration, 'status'>): string {
  return i.status;
}

export function edgeStyle(status: MapIntegration['status']): EdgeStyle {
  return {
    color: status === 'healthy' ? HEALTHY_EDGE_COLOR : MAP_STATUS_COLORS[status],
    dashed: status === 'planned' || status === 'retired',
  };
}

export function integrationLabel(i: Pick<MapIntegration, 'label' | 'protocol' | 'format'>): string {
  return [i.label, i.protocol, i.format].filter(Boolean).join(' · ');
}

/** The curve of each integration whose two systems are placed. */
export function edgeGeometry(
  integrations: readonly MapIntegration[],
  positions: ReadonlyMap<string, { x: number; y: number }>,
): EdgeGeometry[] {
  const out: EdgeGeometry[] = [];
  for (const i of integrations) {
    const from = positions.get(i.from);
    const to = positions.get(i.to);
    if (!from || !to) continue;
    const sx = from.x + NODE_SIZE.width + HANDLE_OUTSET;
    const sy = from.y + NODE_SIZE.height / 2;
    const tx = to.x - HANDLE_OUTSET;
    const ty = to.y + NODE_SIZE.height / 2;
    const c1x = sx + controlOffset(tx - sx);
    const c2x = tx - controlOffset(tx - sx);
    out.push({
      id: i.id,
      sx,
      sy,
      c1x,
      c1y: sy,
      c2x,
      c2y: ty,
      tx,
      ty,
      minX: Math.min(sx, tx, c1x, c2x) - ARROW_HALF_WIDTH,
      maxX: Math.max(sx, tx, c1x, c2x) + ARROW_HALF_WIDTH,
      minY: Math.min(sy, ty) - ARROW_HALF_WIDTH,
      maxY: Math.max(sy, ty) + ARROW_HALF_WIDTH,
      style: edgeStyleKey(i),
      twoWay: i.direction === 'two-way',
      label: integrationLabel(i),
    });
  }
  return out;
}

function point(e: EdgeGeometry, t: number): [number, number] {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [a * e.sx + b * e.c1x + c * e.c2x + d * e.tx, a * e.sy + b * e.c1y + c * e.c2y + d * e.ty];
}

/** The curve's t = 0.5 point (where React Flow puts an edge label). */
export const edgeCenter = (e: EdgeGeometry) => point(e, 0.5);

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length = dx * dx + dy * dy;
  const t = length ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length)) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** The integration drawn nearest to a point (flow coordinates) within `tolerance`, or null. */
export function hitTest(edges: readonly EdgeGeometry[], x: number, y: number, tolerance: number): EdgeGeometry | null {
  let best: EdgeGeometry | null = null;
  let bestDistance = tolerance;
  for (const e of edges) {
    if (x < e.minX - tolerance || x > e.maxX + tolerance || y < e.minY - tolerance || y > e.maxY + tolerance) continue;
    // The curve as 24 straight segments: within a fraction of a pixel at any zoom the map allows.
    let [ax, ay] = point(e, 0);
    for (let step = 1; step <= 24; step++) {
      const [bx, by] = point(e, step / 24);
      const d = distanceToSegment(x, y, ax, ay, bx, by);
      if (d <= bestDistance) {
        bestDistance = d;
        best = e;
      }
      ax = bx;
      ay = by;
    }
  }
  return best;
}

export interface EdgeBatch {
  style: EdgeStyle;
  lines: Path2D;
  arrows: Path2D;
}

/** One stroked path and one filled path of arrowheads per style. */
export function batchEdges(edges: readonly EdgeGeometry[]): EdgeBatch[] {
  const batches = new Map<string, EdgeBatch>();
  for (const e of edges) {
    let batch = batches.get(e.style);
    if (!batch) {
      batch = { style: edgeStyle(e.style as MapIntegration['status']), lines: new Path2D(), arrows: new Path2D() };
      batches.set(e.style, batch);
    }
    batch.lines.moveTo(e.sx, e.sy);
    batch.lines.bezierCurveTo(e.c1x, e.c1y, e.c2x, e.c2y, e.tx, e.ty);
    // The curve meets the target's left side horizontally: the arrow points right, its tip on the end.
    batch.arrows.moveTo(e.tx, e.ty);
    batch.arrows.lineTo(e.tx - ARROW_LENGTH, e.ty - ARROW_HALF_WIDTH);
    batch.arrows.lineTo(e.tx - ARROW_LENGTH, e.ty + ARROW_HALF_WIDTH);
    batch.arrows.closePath();
    if (e.twoWay) {
      batch.arrows.moveTo(e.sx, e.sy);
      batch.arrows.lineTo(e.sx + ARROW_LENGTH, e.sy - ARROW_HALF_WIDTH);
      batch.arrows.lineTo(e.sx + ARROW_LENGTH, e.sy + ARROW_HALF_WIDTH);
      batch.arrows.closePath();
    }
  }
  return [...batches.values()];
}

export interface View {
  /** React Flow's transform: translation (screen px) and zoom. */
  x: number;
  y: number;
  zoom: number;
  /** Canvas size in CSS px and the device pixel ratio. */
  width: number;
  height: number;
  dpr: number;
}

export interface LabelColors {
  text: string;
  background: string;
}

/** What a canvas holds: the view it was drawn for (its margin included) and whether with labels. */
export interface Drawn {
  view: View;
  labelled: boolean;
}

/**
 * How far (CSS px) to move a drawing made for `drawn.view` so that it shows `view`, or null when
 * it has to be drawn again: the zoom or the size changed, labels are wanted or shown where they
 * were not, or the view moved further than the `margin` drawn around it (the canvas would show an
 * undrawn strip). Panning, and the map panning by itself under a system dragged to its edge, only
 * translate the view: the curves already drawn are the same pixels, moved.
 */
export function shiftWithin(drawn: Drawn | null, view: View, labelled: boolean, margin: number): { dx: number; dy: number } | null {
  if (!drawn || drawn.labelled || labelled) return null;
  const { view: at } = drawn;
  if (at.zoom !== view.zoom || at.dpr !== view.dpr || at.width !== view.width || at.height !== view.height) return null;
  const dx = view.x - at.x;
  const dy = view.y - at.y;
  return Math.abs(dx) <= margin && Math.abs(dy) <= margin ? { dx, dy } : null;
}

/** Labels only for integrations whose centre is in view, and at most this many. */
const MAX_LABELS = 400;

/**
 * Draws the integrations for one view: every batch, then (when asked) labels of those in view.
 * `inset` (CSS px) is a margin drawn around what is seen: labels are only drawn inside it, and
 * with `visibleOnly` nothing is drawn in the margin.
 */
export function drawEdges(
  context: CanvasRenderingContext2D,
  view: View,
  batches: readonly EdgeBatch[],
  labelled: readonly EdgeGeometry[] | null,
  colors: LabelColors,
  inset = 0,
  visibleOnly = false,
): void {
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  context.save();
  if (visibleOnly && inset) {
    // Only what is seen (a zoom step): stroking the margin too would cost more pixels per step.
    context.beginPath();
    context.rect(inset * view.dpr, inset * view.dpr, (view.width - 2 * inset) * view.dpr, (view.height - 2 * inset) * view.dpr);
    context.clip();
  }
  try {
    strokeAndLabel(context, view, batches, labelled, colors, inset);
  } finally {
    context.restore();
  }
}

function strokeAndLabel(
  context: CanvasRenderingContext2D,
  view: View,
  batches: readonly EdgeBatch[],
  labelled: readonly EdgeGeometry[] | null,
  colors: LabelColors,
  inset: number,
): void {
  const scale = view.zoom * view.dpr;
  context.setTransform(scale, 0, 0, scale, view.x * view.dpr, view.y * view.dpr);
  context.lineWidth = STROKE_WIDTH;
  for (const batch of batches) {
    context.strokeStyle = batch.style.color;
    context.fillStyle = batch.style.color;
    context.setLineDash(batch.style.dashed ? [5, 4] : []);
    context.stroke(batch.lines);
    context.fill(batch.arrows);
  }
  context.setLineDash([]);
  if (!labelled) return;
  // Labels in flow units (11 px at zoom 1), scaling with the zoom as React Flow's own do.
  const left = (inset - view.x) / view.zoom;
  const top = (inset - view.y) / view.zoom;
  const right = left + (view.width - 2 * inset) / view.zoom;
  const bottom = top + (view.height - 2 * inset) / view.zoom;
  context.font = '11px system-ui, sans-serif';
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  let drawn = 0;
  for (const e of labelled) {
    if (!e.label) continue;
    const [cx, cy] = edgeCenter(e);
    if (cx < left || cx > right || cy < top || cy > bottom) continue;
    const width = context.measureText(e.label).width;
    context.fillStyle = colors.background;
    context.fillRect(cx - width / 2 - 2, cy - 8, width + 4, 16);
    context.fillStyle = colors.text;
    context.fillText(e.label, cx, cy);
    if (++drawn >= MAX_LABELS) break;
  }
}
