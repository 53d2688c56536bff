import type { GlossaryEntry } from './model';

/** One occurrence of a glossary term (or jargon word) in a text: `text.slice(start, end)` is what matched. */
export interface TermMatch<T> {
  start: number;
  end: number;
  /** The spelling that matched (the term or one of its aliases). */
  spelling: string;
  item: T;
}

const WORD = '[\\p{L}\\p{N}_]';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * A matcher for many terms at once. Case-insensitive (Unicode simple case folding), whole words
 * only (a letter or digit on either side prevents a match, in any script: "wave" is not found in
 * "waves" or "microwave"), spaces in a term match any run of white space, and where two terms
 * start at the same place the longest wins ("pick wave" before "wave"). Matches never overlap.
 */
export class TermMatcher<T> {
  private readonly regex: RegExp | null;
  private readonly bySpelling = new Map<string, { spelling: string; item: T }>();

  constructor(terms: ReadonlyArray<{ spellings: readonly string[]; item: T }>) {
    const spellings: string[] = [];
    for (const { spellings: list, item } of terms) {
      for (const raw of list) {
        const spelling = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
        if (!spelling) continue;
        const key = foldKey(spelling);
        if (this.bySpelling.has(key)) continue;
        this.bySpelling.set(key, { spelling, item });
        spellings.push(spelling);
      }
    }
    spellings.sort((a, b) => b.length - a.length || a.localeCompare(b));
    const alternatives = spellings.map((s) => s.split(' ').map(escapeRegExp).join('\\s+'));
    this.regex = alternatives.length ? new RegExp(`(?<!${WORD})(?:${alternatives.join('|')})(?!${WORD})`, 'giu') : null;
  }

  /** A match whose case folding differs from `foldKey`'s (rare scripts): test each spelling. */
  private slowLookup(matched: string): { spelling: string; item: T } | undefined {
    for (const entry of this.bySpelling.values()) {
      const one = new RegExp(`^${entry.spelling.split(' ').map(escapeRegExp).join('\\s+')}$`, 'iu');
      if (one.test(matched)) return entry;
    }
    return undefined;
  }

  /** Every match in `text`, in order. */
  find(text: string): Array<TermMatch<T>> {
    if (!this.regex || !text) return [];
    const matches: Array<TermMatch<T>> = [];
    for (const m of text.matchAll(this.regex)) {
      const found = this.bySpelling.get(foldKey(m[0].replace(/\s+/g, ' '))) ?? this.slowLookup(m[0]);
      if (!found) continue;
      matches.push({ start: m.index, end: m.index + m[0].length, spelling: found.spelling, item: found.item });
    }
    return matches;
  }
}

/** The key two spellings share when a case-insensitive regex would match one with the other. */
function foldKey(value: string): string {
  return value.normalize('NFC').toLocaleLowerCase('en-US').toLocaleUpperCase('en-US');
}

/** What a matcher depends on, as one string: equal keys give equal matchers. */
function glossaryKey(entries: readonly GlossaryEntry[], extra: readonly string[] = []): string {
  return `${entries.map((e) => [e.id, e.term, e.kind, e.meaning, ...e.aliases].join('\u0001')).join('\u0002')}\u0003${extra.join('\u0001')}`;
}

let lastGlossary: { key: string; matcher: TermMatcher<GlossaryEntry> } | null = null;

/**
 * A matcher for a glossary's terms and their other spellings. The last one built is reused while
 * the glossary is unchanged (views re-read the glossary on every keystroke).
 */
export function glossaryMatcher(entries: readonly GlossaryEntry[]): TermMatcher<GlossaryEntry> {
  const key = glossaryKey(entries);
  if (lastGlossary?.key !== key) {
    lastGlossary = { key, matcher: new TermMatcher(entries.map((entry) => ({ spellings: [entry.term, ...entry.aliases], item: entry }))) };
  }
  return lastGlossary.matcher;
}

/** Splits a text into plain runs and glossary terms, for showing definitions on hover. */
export type TextSegment<T> = { text: string; item?: T };

export function segmentText<T>(text: string, matcher: TermMatcher<T>): Array<TextSegment<T>> {
  const segments: Array<TextSegment<T>> = [];
  let at = 0;
  for (const m of matcher.find(text)) {
    if (m.start > at) segments.push({ text: text.slice(at, m.start) });
    segments.push({ text: text.slice(m.start, m.end), item: m.item });
    at = m.end;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

/** `[[term]]` references in a text (notes and cards link glossary terms this way). */
export function glossaryReferences(text: string): Array<{ start: number; end: number; term: string }> {
  const refs: Array<{ start: number; end: number; term: string }> = [];
  for (const m of text.matchAll(/\[\[([^[\]\n]{1,120})\]\]/g))
    refs.push({ start: m.index, end: m.index + m[0].length, term: m[1]?.trim() ?? '' });
  return refs;
}

/** Resolves a `[[term]]` to its glossary entry (by term or alias, ignoring case), or null. */
export function resolveGlossaryReference(term: string, entries: readonly GlossaryEntry[]): GlossaryEntry | null {
  const key = foldKey(term.trim().replace(/\s+/g, ' '));
  return entries.find((e) => [e.term, ...e.aliases].some((s) => foldKey(s.trim().replace(/\s+/g, ' ')) === key)) ?? null;
}

/** A jargon word found in a rendering, with whether the text explains it where it first appears. */
export interface JargonFlag {
  term: string;
  /** Where it came from: the notebook's jargon list or a technical glossary term. */
  source: 'jargon list' | 'glossary';
  /** The glossary's plain meaning, to suggest as an explanation. */
  meaning: string;
  count: number;
  /** First occurrence. */
  start: number;
  end: number;
}

/**
 * Jargon in a text meant for a business reader: words from the notebook's jargon list and
 * technical glossary terms, unless the text explains them. A term counts as explained when an
 * occurrence is followed by a gloss in parentheses or after a dash ("ODBC (the link between…)",
 * "ODBC — the link…"), or introduced by "i.e.", "meaning", "that is" or "which is", or when the
 * glossary's plain meaning itself appears in the text. It is a hint for the writer, never a block.
 */
let lastJargon: { key: string; matcher: TermMatcher<{ term: string; source: JargonFlag['source']; meaning: string }> } | null = null;

export function findJargon(text: string, jargon: readonly string[], glossary: readonly GlossaryEntry[]): JargonFlag[] {
  const items: Array<{ spellings: string[]; item: { term: string; source: JargonFlag['source']; meaning: string } }> = [];
  for (const entry of glossary) {
    if (entry.kind !== 'technical') continue;
    items.push({ spellings: [entry.term, ...entry.aliases], item: { term: entry.term, source: 'glossary', meaning: entry.meaning } });
  }
  for (const term of jargon) items.push({ spellings: [term], item: { term, source: 'jargon list', meaning: '' } });
  const key = glossaryKey(glossary, jargon);
  if (lastJargon?.key !== key) lastJargon = { key, matcher: new TermMatcher(items) };
  const matcher = lastJargon.matcher;
  const lowered = text.toLocaleLowerCase('en-US');
  const flags = new Map<string, JargonFlag & { explained: boolean }>();
  for (const m of matcher.find(text)) {
    const key = m.item.term.toLocaleLowerCase('en-US');
    const after = text.slice(m.end, m.end + 16);
    const before = text.slice(Math.max(0, m.start - 16), m.start).toLocaleLowerCase('en-US');
    const glossed =
      /^\s*(\(|[—–]|-\s|,?\s*(i\.e\.|meaning|that is|which is))/i.test(after) ||
      /(\bi\.e\.,?|\bmeaning|\bthat is,?|\bcalled|\bknown as)\s*["“]?$/.test(before) ||
      (m.item.meaning.trim().length >= 8 && lowered.includes(m.item.meaning.trim().toLocaleLowerCase('en-US')));
    const flag = flags.get(key);
    if (flag) {
      flag.count++;
      flag.explained ||= glossed;
    } else
      flags.set(key, {
        term: m.item.term,
        source: m.item.source,
        meaning: m.item.meaning,
        count: 1,
        start: m.start,
        end: m.end,
        explained: glossed,
      });
  }
  return [...flags.values()].filter((f) => !f.explained).map(({ explained: _explained, ...flag }) => flag);
}
