import { useStoreApi } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { batchEdges, drawEdges, type EdgeGeometry } from './edge-layer';

/** Zoom from which integration labels are readable (and drawn). */
export const LABEL_ZOOM = 0.6;
/** The view counts as settled this long after its last pan or zoom step. */
export const SETTLE_MS = 150;

/**
 * The integrations of a large map on a canvas under the systems. Redrawn (once per animation
 * frame at most) when the view moves, without rendering anything in React; labels only once the
 * view has settled at a readable zoom.
 */
export function EdgeCanvas({ edges }: { edges: readonly EdgeGeometry[] }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const batches = useMemo(() => batchEdges(edges), [edges]);
  const latest = useRef({ edges, batches });
  latest.current = { edges, batches };
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
      drawEdges(context, { x, y, zoom, ...size }, latest.current.batches, labelled, {
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
  // biome-ignore lint/correctness/useExhaustiveDependencies: batches is what changed; the draw reads it from the ref
  useEffect(() => redraw?.(), [redraw, batches]);

  return <canvas ref={canvasRef} className="map-edge-canvas" />;
}
