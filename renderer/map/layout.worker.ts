/// <reference lib="webworker" />
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkGraphNode } from '../../shared/map/layout';

/** Runs elkjs off the main thread: the editor stays responsive while a large map is laid out. */
const elk = new ELK();

self.onmessage = async (event: MessageEvent<{ id: number; graph: ElkGraphNode }>) => {
  const { id, graph } = event.data;
  try {
    const result = await elk.layout(graph as Parameters<typeof elk.layout>[0]);
    (self as unknown as Worker).postMessage({ id, graph: result });
  } catch (error) {
    (self as unknown as Worker).postMessage({ id, error: (error as Error).message ?? String(error) });
  }
};
