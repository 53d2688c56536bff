import { useStoreApi } from '@xyflow/react';
import { useLayoutEffect, useRef } from 'react';
import { SETTLE_MS } from './EdgeCanvas';

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
export function useZoomClasses(element: React.RefObject<HTMLElement | null>, large: boolean, startFar: boolean) {
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
