/**
 * Similar lessons by trigram similarity, with pg_trgm's definition: the text is lower-cased and
 * split into words of letters and digits, each word padded with two spaces in front and one
 * behind, and the similarity of two texts is the share of their distinct trigrams they have in
 * common (shared / all distinct, Jaccard).
 *
 * Over the whole library, every pair at or above the threshold is found without comparing every
 * pair (5,000 lessons are 12.5 million pairs): a prefix filter. Trigrams are ordered rarest first;
 * two texts with similarity ≥ t share at least ⌈t·|x|⌉ trigrams, so one of them is among the first
 * |x| − ⌈t·|x|⌉ + 1 trigrams of x; how many of those the other holds bounds the overlap, and only
 * the candidates that can still reach the threshold are compared.
 */

export function trigrams(text: string): string[] {
  const grams = new Set<string>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return [...grams];
}

export function trigramSimilarity(a: string, b: string): number {
  const left = new Set(trigrams(a));
  const right = trigrams(b);
  if (!left.size || !right.length) return 0;
  let shared = 0;
  for (const gram of right) if (left.has(gram)) shared++;
  return shared / (left.size + right.length - shared);
}

export interface SimilarityItem {
  ref: string;
  text: string;
}

export interface ScoredPair {
  a: string;
  b: string;
  score: number;
}

/** Every pair of items with similarity ≥ threshold (each pair once), best first, at most `limit`. */
export function similarPairs(items: readonly SimilarityItem[], threshold: number, limit: number): ScoredPair[] {
  const ids = new Map<string, number>();
  const sets = items.map((item) =>
    trigrams(item.text).map((gram) => {
      let id = ids.get(gram);
      if (id === undefined) {
        id = ids.size;
        ids.set(gram, id);
      }
      return id;
    }),
  );
  const frequency = new Int32Array(ids.size);
  for (const set of sets) for (const id of set) frequency[id] = (frequency[id] ?? 0) + 1;
  // Rarest first (ties by id), so prefixes hold the trigrams that pick out few candidates.
  const rank = (id: number) => (frequency[id] ?? 0) * ids.size + id;
  const sorted = sets.map((set) => Float64Array.from(set.map(rank)).sort());
  const order = items.map((_, i) => i).sort((x, y) => (sorted[x]?.length ?? 0) - (sorted[y]?.length ?? 0) || x - y);
  // Every trigram of the items already processed (smaller or equal in size), probed only with
  // the prefix of the next one; counts of prefix trigrams in common prune the candidates: the
  // overlap is at most that count plus the rest of x, and Jaccard ≥ t needs t/(1+t)·(|x|+|y|).
  const index = new Map<number, number[]>();
  const pairs: ScoredPair[] = [];
  const counts = new Int32Array(items.length);
  const touched: number[] = [];
  for (const x of order) {
    const tokens = sorted[x] as Float64Array;
    if (!tokens.length) continue;
    const prefix = tokens.length - Math.ceil(threshold * tokens.length) + 1;
    const minSize = Math.ceil(threshold * tokens.length);
    touched.length = 0;
    for (let p = 0; p < prefix; p++) {
      for (const y of index.get(tokens[p] as number) ?? []) {
        if ((counts[y] as number) === 0) touched.push(y);
        counts[y] = (counts[y] as number) + 1;
      }
    }
    for (const y of touched) {
      const inPrefix = counts[y] as number;
      counts[y] = 0;
      const other = sorted[y] as Float64Array;
      if (other.length < minSize) continue;
      const needed = Math.ceil((threshold / (1 + threshold)) * (tokens.length + other.length) - 1e-9);
      if (inPrefix + (tokens.length - prefix) < needed) continue;
      const shared = overlap(tokens, other);
      const score = shared / (tokens.length + other.length - shared);
      if (score >= threshold) {
        const [a, b] = [items[x]?.ref as string, items[y]?.ref as string].sort();
        pairs.push({ a: a as string, b: b as string, score });
      }
    }
    for (const token of tokens) {
      const list = index.get(token);
      if (list) list.push(x);
      else index.set(token, [x]);
    }
  }
  pairs.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
  return pairs.slice(0, limit);
}

/** Lessons similar to one text, best first. */
export function similarTo(
  text: string,
  items: readonly SimilarityItem[],
  threshold: number,
  limit: number,
): Array<{ ref: string; score: number }> {
  const target = new Set(trigrams(text));
  if (!target.size) return [];
  const found: Array<{ ref: string; score: number }> = [];
  for (const item of items) {
    const grams = trigrams(item.text);
    let shared = 0;
    for (const gram of grams) if (target.has(gram)) shared++;
    const score = grams.length ? shared / (target.size + grams.length - shared) : 0;
    if (score >= threshold) found.push({ ref: item.ref, score });
  }
  return found.sort((a, b) => b.score - a.score || (a.ref < b.ref ? -1 : 1)).slice(0, limit);
}

function overlap(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared;
}
