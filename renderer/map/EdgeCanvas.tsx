import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { batchEdges, type Drawn, drawEdges, type EdgeBatch, type EdgeGeometry, shiftWithin, type View } from './edge-layer';

/** Zoom from which integration labels are readable (and drawn). */
export const LABEL_ZOOM = 0.6;
/** The view counts as settled this long after its last pan or zoom step. */
export const SETTLE_MS = 150;
/**
 * Margin (CSS px) drawn around the view by the layer of integrations that stay put, so that a pan
 * moves the drawing rather than redraws it. React Flow auto-pans up to 15 px a frame by default
 * under a system dragged to the canvas's edge: about one redraw in ten frames. A wider margin
 * means fewer redraws but more pixels to clear and stroke at each.
 */
export const PAN_MARGIN = 160;

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
 *
 * With a `margin` (CSS px), the canvas is that much larger than the view on each side and drawn
 * with it; while the view only pans within that margin, the drawing is moved with a CSS transform
 * instead of stroking every curve again (a pan step, or the map panning by itself at each frame
 * while a system is dragged into the canvas's edge band). It is drawn again when the pan leaves
 * the margin, the zoom changes, the curves change, or the view settles (for the labels).
 */
export function EdgeCanvas({ edges, margin = 0 }: { edges: readonly EdgeGeometry[]; margin?: number }) {
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
    // What the canvas holds; null: nothing yet, or curves that changed since.
    let drawn: (Drawn & { edges: readonly EdgeGeometry[]; margin: number }) | null = null;
    let shifted = '';
    const draw = () => {
      frame = 0;
      const [x, y, zoom] = store.getState().transform;
      const labelled = !moving && zoom >= LABEL_ZOOM ? latest.current.edges : null;
      // The view the canvas covers: the visible one and the margin around it.
      const view = { x: x + margin, y: y + margin, zoom, ...size };
      const shift = drawn?.edges === latest.current.edges ? shiftWithin(drawn, view, labelled !== null, drawn.margin) : null;
      if (shift) {
        const transform = shift.dx || shift.dy ? `translate(${shift.dx}px, ${shift.dy}px)` : '';
        if (transform !== shifted) canvas.style.transform = shifted = transform;
        return;
      }
      // A zoom step (the view moving, at another zoom than drawn): only what is seen is drawn, as
      // without a margin; the next pan draws again, and so does the view settling (with the margin).
      const zooming = moving && drawn !== null && drawn.view.zoom !== zoom;
      const styles = labelled ? getComputedStyle(canvas) : null;
      const batches = batchesFor(latest.current, view);
      drawEdges(
        context,
        view,
        batches,
        labelled,
        {
          text: styles?.getPropertyValue('--text').trim() || '#1d2329',
          background: styles?.getPropertyValue('--panel').trim() || '#fff',
        },
        margin,
        zooming,
      );
      if (shifted) canvas.style.transform = shifted = '';
      drawn = { view, labelled: labelled !== null, edges: latest.current.edges, margin: zooming ? 0 : margin };
    };
    const request = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    const resize = () => {
      const dpr = window.devicePixelRatio || 1;
      size = { width: host.clientWidth + 2 * margin, height: host.clientHeight + 2 * margin, dpr };
      canvas.width = Math.max(1, Math.round(size.width * dpr));
      canvas.height = Math.max(1, Math.round(size.height * dpr));
      if (margin) {
        canvas.style.inset = `${-margin}px`;
        canvas.style.width = `${size.width}px`;
        canvas.style.height = `${size.height}px`;
      }
      drawn = null;
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
        // A moved drawing sits at a fraction of a pixel off (resampled): a settled view is drawn afresh.
        if (shifted || drawn?.margin !== margin) drawn = null;
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
  }, [store, margin]);

  // New geometry (an edit, a drag step, another selection): drawn in the next frame.
  // biome-ignore lint/correctness/useExhaustiveDependencies: edges is what changed; the draw reads it from the ref
  useEffect(() => redraw?.(), [redraw, edges]);

  return <canvas ref={canvasRef} className={margin ? 'map-edge-canvas map-edge-canvas-margin' : 'map-edge-canvas'} />;
}
