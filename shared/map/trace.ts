import type { EnvironmentMap, MapIntegration } from './model';

export interface TraceHop {
  integrationId: string;
  from: string;
  to: string;
  label: string;
  protocol: string;
  format: string;
  status: MapIntegration['status'];
  issues: string;
  /** The hop runs against the integration's drawn direction (a two-way link, or `ignoreDirection`). */
  reversed: boolean;
}

export interface TraceOptions {
  /** Follow one-way integrations both ways too (to find "how are these connected at all"). */
  ignoreDirection?: boolean;
  /** Longest path considered, in hops. */
  maxHops?: number;
  /** How many paths to return at most (shortest first). */
  maxPaths?: number;
}

export interface TraceResult {
  paths: TraceHop[][];
  /** True when the limits cut the search short: there may be more (longer) paths. */
  truncated: boolean;
}

const MAX_STEPS = 200_000;

/**
 * The simple paths (no system twice) from one system to another, shortest first, each a list of
 * hops with the protocol and format on it. Data flows along an integration's direction; two-way
 * integrations are followed both ways. The search is pruned by the distance to the target, so a
 * large map with cycles stays fast.
 */
export function tracePaths(map: EnvironmentMap, fromId: string, toId: string, options: TraceOptions = {}): TraceResult {
  const maxHops = options.maxHops ?? 12;
  const maxPaths = options.maxPaths ?? 20;
  const out = new Map<string, TraceHop[]>();
  const into = new Map<string, string[]>();
  const add = (hop: TraceHop) => {
    const list = out.get(hop.from) ?? [];
    list.push(hop);
    out.set(hop.from, list);
    const back = into.get(hop.to) ?? [];
    back.push(hop.from);
    into.set(hop.to, back);
  };
  for (const i of map.integrations) {
    const base = { integrationId: i.id, label: i.label, protocol: i.protocol, format: i.format, status: i.status, issues: i.issues };
    add({ ...base, from: i.from, to: i.to, reversed: false });
    if (i.direction === 'two-way' || options.ignoreDirection) add({ ...base, from: i.to, to: i.from, reversed: true });
  }
  // Distance from each system to the target, walking edges backwards (BFS).
  const distance = new Map<string, number>([[toId, 0]]);
  const queue = [toId];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    const d = distance.get(node) as number;
    for (const prev of into.get(node) ?? []) {
      if (!distance.has(prev)) {
        distance.set(prev, d + 1);
        queue.push(prev);
      }
    }
  }
  const paths: TraceHop[][] = [];
  let truncated = false;
  if (fromId === toId || !distance.has(fromId)) return { paths, truncated };
  // Iterative deepening keeps results shortest-first without holding every partial path.
  let steps = 0;
  const onPath = new Set<string>([fromId]);
  const hops: TraceHop[] = [];
  let limit = distance.get(fromId) as number;
  const walk = (node: string, budget: number): void => {
    if (paths.length >= maxPaths || steps > MAX_STEPS) return;
    for (const hop of out.get(node) ?? []) {
      steps++;
      if (onPath.has(hop.to)) continue;
      const d = distance.get(hop.to);
      if (d === undefined || d > budget - 1) continue;
      hops.push(hop);
      if (hop.to === toId) {
        if (hops.length === limit) paths.push([...hops]);
      } else {
        onPath.add(hop.to);
        walk(hop.to, budget - 1);
        onPath.delete(hop.to);
      }
      hops.pop();
      if (paths.length >= maxPaths) return;
    }
  };
  for (; limit <= maxHops && paths.length < maxPaths && steps <= MAX_STEPS; limit++) walk(fromId, limit);
  truncated = paths.length >= maxPaths || steps > MAX_STEPS;
  return { paths, truncated };
}
