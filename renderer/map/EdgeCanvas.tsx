import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { batchEdges, drawEdges, type EdgeBatch, type EdgeGeometry, type View } from './edge-layer';

/** Zoom from which integration labels are readable (and drawn). */
export const LABEL_ZOOM = 0.6;
/** The view counts as settled this long after its last pan or zoom step. */
export const SETTLE_MS = 150;

interface Layer {
  edges: readonly EdgeGeometry[];
  /** Paths of the integrations in `area` (null: not built yet). */
  batches: EdgeBatch[] | null;
  /** The part of the map (flow coordinates) the batches cover; null: all of it. */
  area: { left: number; top: number; right: number; bottom: number } | null;
  /** The zoom they were built at. */
  zoom: number;
}

/**
 * The paths to draw for a view. Zoomed in, only the integrations near the view are in them (the
 * view and half of it again on each side), so a frame strokes hundreds of curves rather than all
 * of them; they are rebuilt when the view leaves that area or the zoom changes a lot (panning, or
 * the map panning by itself while a system is dragged to its edge).
 */
function batchesFor(layer: Layer, view: View): EdgeBatch[] {
  const width = view.width / view.zoom;
  const height = view.height / view.zoom;
  const left = -view.x / view.zoom;
  const top = -view.y / view.zoom;
  const { area } = layer;
  const inside = !area || (left >= area.left && top >= area.top && left + width <= area.right && top + height <= area.bottom);
  const zoomed = view.zoom > layer.zoom * 2 || view.zoom < layer.zoom / 2;
  if (layer.batches && inside && !zoomed) return layer.batches;
  const wanted = { left: left - width / 2, top: top - height / 2, right: left + 1.5 * width, bottom: top + 1.5 * height };
  const near = layer.edges.filter(
    (e) => e.maxX >= wanted.left && e.minX <= wanted.right && e.maxY >= wanted.top && e.minY <= wanted.bottom,
  );
  const all = near.length > layer.edges.length * 0.8;
  layer.batches = batchEdges(all ? layer.edges : near);
  layer.area = all ? null : wanted;
  layer.zoom = view.zoom;
  return layer.batches;
}

/**
 * The integrations of a large map on a canvas under the systems. Redrawn (once per animation
 * frame at most) when the view moves, without rendering anything in React; labels only once the
 * view has settled at a readable zoom.
 */
export function EdgeCanvas({ edges }: { edges: readonly EdgeGeometry[] }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  // The paths are built when first drawn (in an animation frame), not while React renders: opening
  // a large map shows its boxes a frame before its lines.
  const latest = useRef<Layer>({ edges, batches: null, area: null, zoom: 1 });
  if (latest.current.edges !== edges) latest.current = { edges, batches: null, area: null, zoom: 1 };
  const [redraw, setRedraw] = useState<(() => void) | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    const host = canvas?.parentElement;
    if (!canvas || !context || !host) return;
    let frame = 0;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let moving = false;
    let size = { width: 0, height: 0, dpr: 1 };
    const draw = () => {
      frame = 0;
      const [x, y, zoom] = store.getState().transform;
      const labelled = !moving && zoom >= LABEL_ZOOM ? latest.current.edges : null;
      const styles = labelled ? getComputedStyle(canvas) : null;
      const batches = batchesFor(latest.current, { x, y, zoom, ...size });
      drawEdges(context, { x, y, zoom, ...size }, batches, labelled, {
        text: styles?.getPropertyValue('--text').trim() || '#1d2329',
        background: styles?.getPropertyValue('--panel').trim() || '#fff',
      });
    };
    const request = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const resize = () => {
      const dpr = window.devicePixelRatio || 1;
      size = { width: host.clientWidth, height: host.clientHeight, dpr };
      canvas.width = Math.max(1, Math.round(size.width * dpr));
      canvas.height = Math.max(1, Math.round(size.height * dpr));
      draw();
    };
    const observer = new ResizeObserver(resize);
    observer.observe(host);
    const unsubscribe = store.subscribe((next, previous) => {
      if (next.transform === previous.transform) return;
      moving = true;
      clearTimeout(settle);
      settle = setTimeout(() => {
        moving = false;
        request();
      }, SETTLE_MS);
      request();
    });
    resize();
    setRedraw(() => request);
    return () => {
      observer.disconnect();
      unsubscribe();
      clearTimeout(settle);
      cancelAnimationFrame(frame);
    };
  }, [store]);

  // New geometry (an edit, a drag step, another selection): drawn in the next frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: edges is what changed; the draw reads it from the ref
  useEffect(() => redraw?.(), [redraw, edges]);

  return <canvas ref={canvasRef} className="map-edge-canvas" />;
}
