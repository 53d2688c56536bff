import { buildLayoutGraph, type ElkGraphNode, type Position, positionsFromLayout } from '../../shared/map/layout';
import type { EnvironmentMap } from '../../shared/map/model';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (graph: ElkGraphNode) => void; reject: (error: Error) => void }>();

function layoutWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<{ id: number; graph?: ElkGraphNode; error?: string }>) => {
    const entry = pending.get(event.data.id);
    if (!entry) return;
    pending.delete(event.data.id);
    if (event.data.graph) entry.resolve(event.data.graph);
    else entry.reject(new Error(`Auto-layout failed: ${event.data.error ?? 'unknown error'}`));
  };
  worker.onerror = (event) => {
    for (const entry of pending.values()) entry.reject(new Error(`Auto-layout failed: ${event.message}`));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

/** Layered, left-to-right positions for every system, computed by elkjs in a web worker. */
export function layoutInWorker(map: EnvironmentMap): Promise<Position[]> {
  if (!map.systems.length) return Promise.resolve([]);
  const id = nextId++;
  return new Promise<ElkGraphNode>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    layoutWorker().postMessage({ id, graph: buildLayoutGraph(map) });
  }).then(positionsFromLayout);
}
