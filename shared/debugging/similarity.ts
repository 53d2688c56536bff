import { isMask } from './mask';

/**
 * Near matches between templates: token-set Jaccard similarity, found through a MinHash
 * prefilter the database can index (Broder 1997; banding as in Leskovec, Rajaraman, Ullman,
 * "Mining of Massive Datasets" ch. 3). A template's token set is summarised by MINHASHES minimum
 * hashes; MINHASHES / BAND_ROWS bands of BAND_ROWS rows each are hashed into one integer each. Two
 * sets share a band with probability 1 − (1 − J^r)^b: at r = 2, b = 16 that is 0.99 for J = 0.5
 * and 0.18 for J = 0.1, so a GIN index over the band integers (`bands && $1`) yields the few
 * candidates worth scoring exactly.
 */
export const MINHASHES = 32;
export const BAND_ROWS = 2;
/** Jaccard at or above which two templates count as a near match. */
export const NEAR_THRESHOLD = 0.5;

/** The words of a template that carry meaning: lower-cased, masks and punctuation left out. */
export function templateTokens(template: string, exceptionType = ''): string[] {
  const set = new Set<string>();
  for (const raw of template.split(/\s+/)) {
    if (!raw || isMask(raw)) continue;
    for (const word of raw.toLowerCase().match(/[\p{L}\p{N}_$]+(?:[.'-][\p{L}\p{N}_$]+)*/gu) ?? []) set.add(word);
  }
  if (exceptionType) set.add(`ex:${exceptionType.toLowerCase()}`);
  return [...set].sort();
}

/** FNV-1a, 32-bit, seeded: a fast non-cryptographic hash for MinHash (no secrecy involved). */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Final avalanche (murmur3 fmix32) so seeds give independent-looking permutations.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS = Array.from({ length: MINHASHES }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);

/** The band keys of a token set: signed 32-bit integers (Postgres `integer`). Empty for an empty set. */
export function minhashBands(tokens: readonly string[]): number[] {
  if (!tokens.length) return [];
  const mins = new Array<number>(MINHASHES).fill(0xffffffff);
  for (const token of tokens) {
    for (let i = 0; i < MINHASHES; i++) {
      const h = fnv1a(token, SEEDS[i] as number);
      if (h < (mins[i] as number)) mins[i] = h;
    }
  }
  const bands: number[] = [];
  for (let b = 0; b < MINHASHES / BAND_ROWS; b++) {
    const rows = mins.slice(b * BAND_ROWS, (b + 1) * BAND_ROWS).join(',');
    // The band's index is part of its key: equal minima in different bands are not a match.
    bands.push(fnv1a(`${b}:${rows}`, 0) | 0);
  }
  return [...new Set(bands)];
}

export function jaccard(a: readonly string[], b: readonly string[]): number {
  if (!a.length && !b.length) return 1;
  const left = new Set(a);
  let shared = 0;
  for (const t of new Set(b)) if (left.has(t)) shared++;
  return shared / (left.size + new Set(b).size - shared);
}
