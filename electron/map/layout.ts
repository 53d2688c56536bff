import ELK from 'elkjs/lib/elk.bundled.js';
import { buildLayoutGraph, type ElkGraphNode, type Position, positionsFromLayout } from '../../shared/map/layout';
import type { EnvironmentMap } from '../../shared/map/model';

let elk: InstanceType<typeof ELK> | null = null;

/** Layered left-to-right positions for every system (elkjs, in this thread: main-side exports, CLI, bench). */
export async function layoutMap(map: EnvironmentMap): Promise<Position[]> {
  if (!map.systems.length) return [];
  elk ??= new ELK();
  const result = await elk.layout(buildLayoutGraph(map) as Parameters<InstanceType<typeof ELK>['layout']>[0]);
  return positionsFromLayout(result as ElkGraphNode);
}

/** The map with every system placed: saved positions when all have one, else a fresh layout. */
export async function placedMap(map: EnvironmentMap): Promise<EnvironmentMap> {
  if (map.systems.every((s) => s.x !== null && s.y !== null)) return map;
  const positions = new Map((await layoutMap(map)).map((p) => [p.id, p]));
  return { ...map, systems: map.systems.map((s) => ({ ...s, x: positions.get(s.id)?.x ?? 0, y: positions.get(s.id)?.y ?? 0 })) };
}
