import { isMask, WILDCARD } from './mask';

/**
 * Drain: online log template mining with a fixed-depth parse tree (He, Zhu, Zheng, Lyu, "Drain:
 * An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017). No maintained library of it
 * exists for JavaScript, so it is implemented here after the paper:
 *
 * 1. Preprocess: mask variables with domain regexes (mask.ts), split on white space.
 * 2. Search by length: the tree's first layer is the token count (messages of one template have
 *    as many tokens).
 * 3. Search by preceding tokens: the next `depth − 2` layers are the message's first tokens; a
 *    token holding a digit or a mask goes to the wildcard child (variables must not split the
 *    tree), and a node with `maxChildren` children sends new tokens to the wildcard child too.
 * 4. Search by similarity in the leaf: seq similarity = share of positions whose tokens are
 *    equal (wildcards in the template do not count as equal); the most similar group at or above
 *    the threshold `st` takes the message, else it starts a group.
 * 5. Update the template: positions where the message and template differ become wildcards.
 */
export interface DrainOptions {
  /** Depth of the tree including root and leaf layers (paper: 4 for most data sets). */
  depth?: number;
  /** Similarity threshold (paper: 0.4–0.7 by data set; Drain3's default 0.4). */
  similarity?: number;
  maxChildren?: number;
}

export interface LogCluster {
  id: number;
  tokens: string[];
  size: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: LogCluster[];
}

const node = (): TreeNode => ({ children: new Map(), clusters: [] });
const hasDigit = /\d/;

export class Drain {
  private readonly depth: number;
  private readonly threshold: number;
  private readonly maxChildren: number;
  private readonly root = node();
  readonly clusters: LogCluster[] = [];

  constructor(options: DrainOptions = {}) {
    this.depth = Math.max(3, options.depth ?? 4);
    this.threshold = options.similarity ?? 0.4;
    this.maxChildren = options.maxChildren ?? 100;
  }

  /** Adds one preprocessed (masked) message; returns the group it joined or started. */
  add(masked: string): LogCluster {
    const tokens = masked.split(' ').filter(Boolean);
    const leaf = this.leafFor(tokens);
    const match = this.bestMatch(leaf.clusters, tokens);
    if (match) {
      match.size++;
      for (let i = 0; i < tokens.length; i++) if (match.tokens[i] !== tokens[i]) match.tokens[i] = WILDCARD;
      return match;
    }
    const cluster: LogCluster = { id: this.clusters.length, tokens: [...tokens], size: 1 };
    leaf.clusters.push(cluster);
    this.clusters.push(cluster);
    return cluster;
  }

  private leafFor(tokens: readonly string[]): TreeNode {
    const lengthKey = String(tokens.length);
    let current = this.root.children.get(lengthKey);
    if (!current) {
      current = node();
      this.root.children.set(lengthKey, current);
    }
    const prefix = Math.min(this.depth - 2, tokens.length);
    for (let i = 0; i < prefix; i++) {
      const token = tokens[i] as string;
      let key = hasDigit.test(token) || isMask(token) ? WILDCARD : token;
      if (!current.children.has(key) && key !== WILDCARD && current.children.size >= this.maxChildren) key = WILDCARD;
      let next = current.children.get(key);
      if (!next) {
        next = node();
        current.children.set(key, next);
      }
      current = next;
    }
    return current;
  }

  private bestMatch(clusters: readonly LogCluster[], tokens: readonly string[]): LogCluster | null {
    let best: LogCluster | null = null;
    let bestScore = -1;
    let bestWildcards = -1;
    for (const cluster of clusters) {
      let equal = 0;
      let wildcards = 0;
      for (let i = 0; i < tokens.length; i++) {
        const t = cluster.tokens[i];
        if (t === WILDCARD) wildcards++;
        else if (t === tokens[i]) equal++;
      }
      const score = tokens.length ? equal / tokens.length : 1;
      // Ties go to the template with more wildcards (the paper's tie-break: the more general one).
      if (score > bestScore || (score === bestScore && wildcards > bestWildcards)) {
        best = cluster;
        bestScore = score;
        bestWildcards = wildcards;
      }
    }
    return best && bestScore >= this.threshold ? best : null;
  }
}

export function clusterTemplate(cluster: LogCluster): string {
  return cluster.tokens.join(' ');
}
