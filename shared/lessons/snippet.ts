/**
 * Search snippets for the lessons library, cut in JavaScript rather than by Postgres'
 * `ts_headline`. ts_headline re-parses and re-stems every row's text for every request (about
 * 0.2 ms a lesson, a third of a library request for a page of 100); here Postgres is asked only
 * for what it alone knows — the query's lexemes and the lexemes of the few words of the page that
 * could match them — and the fragments are chosen here. Matching is decided by Postgres (the
 * search itself); this only decides which words to mark.
 */

export const SNIPPET_OPEN = '«';
export const SNIPPET_CLOSE = '»';
const SNIPPET_WORDS = 30;
const FRAGMENT_WORDS = 24;
const FRAGMENT_LEAD = 6;
const MAX_FRAGMENTS = 2;
const FRAGMENT_DELIMITER = ' … ';

/** The lexemes a tsquery looks for: exact ones, and prefixes (`word:*`). Negated ones are left out. */
export interface QueryLexemes {
  exact: string[];
  prefixes: string[];
}

/**
 * The positive lexemes of a tsquery's text form, e.g. `'rotat' <-> 'credenti' & !'timestamp'`
 * or `'timeout':*`. A lexeme right after `!` is excluded by the query and never marked.
 */
export function queryLexemes(tsqueryText: string): QueryLexemes {
  const exact = new Set<string>();
  const prefixes = new Set<string>();
  for (const match of tsqueryText.matchAll(/(!?)\s*'((?:[^']|'')*)'(:[*A-D]+)?/g)) {
    if (match[1]) continue;
    const lexeme = (match[2] as string).replaceAll("''", "'");
    if (!lexeme) continue;
    if (match[3]?.includes('*')) prefixes.add(lexeme);
    else exact.add(lexeme);
  }
  return { exact: [...exact], prefixes: [...prefixes] };
}

interface Token {
  start: number;
  end: number;
  lower: string;
}

function tokens(text: string): Token[] {
  const out: Token[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const start = match.index as number;
    out.push({ start, end: start + match[0].length, lower: match[0].toLowerCase() });
  }
  return out;
}

/**
 * Words of `texts` (lower case, distinct) that could reduce to one of the lexemes: an English stem
 * is the word's opening, but for its last letter (`happy` → `happi`), so a word is a candidate
 * when it starts with the lexeme less its last letter. Postgres then gives each candidate's own
 * lexemes (see `snippet`), so nothing is marked on this guess alone.
 */
export function candidateWords(texts: readonly string[], lexemes: QueryLexemes, limit = 5_000): string[] {
  const heads = [...lexemes.exact, ...lexemes.prefixes].map((lexeme) => (lexeme.length > 2 ? lexeme.slice(0, -1) : lexeme));
  if (!heads.length) return [];
  const found = new Set<string>();
  for (const text of texts) {
    for (const token of tokens(text)) {
      if (found.size >= limit) return [...found];
      if (!found.has(token.lower) && heads.some((head) => token.lower.startsWith(head))) found.add(token.lower);
    }
  }
  return [...found];
}

/** Whether a word whose lexemes are `wordLexemes` matches one of the query's. */
function matchesQuery(wordLexemes: readonly string[], lexemes: QueryLexemes): boolean {
  return wordLexemes.some((own) => lexemes.exact.includes(own) || lexemes.prefixes.some((prefix) => own.startsWith(prefix)));
}

/** The first words of a text (the snippet when nothing in it matches: e.g. a match in the title only). */
export function firstWords(text: string, words = SNIPPET_WORDS): string {
  const all = clean(text).split(' ').filter(Boolean);
  return all.length > words ? `${all.slice(0, words).join(' ')} …` : all.join(' ');
}

/** Whitespace collapsed, and the marker characters replaced so that only marks use them. */
function cleanGap(text: string): string {
  return text.replace(/[«»]/g, '"').replace(/\s+/g, ' ');
}

function clean(text: string): string {
  return cleanGap(text).trim();
}

/**
 * Up to two fragments of up to 24 words around the words that match the query, in text order,
 * matches between « and », fragments joined by " … " (as ts_headline with MaxFragments=2,
 * MaxWords=24 would). `lexemesOf` gives the lexemes Postgres reduces a (lower-case) word to.
 */
export function snippet(text: string, lexemes: QueryLexemes, lexemesOf: (lowerWord: string) => readonly string[] | undefined): string {
  const all = tokens(text);
  const matched = all.map((token) => matchesQuery(lexemesOf(token.lower) ?? [], lexemes));
  const firstMatch = matched.indexOf(true);
  if (firstMatch < 0) return firstWords(text);
  const fragments: Array<[number, number]> = [];
  let next = firstMatch;
  while (next >= 0 && fragments.length < MAX_FRAGMENTS) {
    const from = Math.max(0, next - FRAGMENT_LEAD);
    const to = Math.min(all.length, from + FRAGMENT_WORDS);
    const last = fragments.at(-1);
    // A match close after the previous fragment extends it rather than repeating its words.
    if (last && from <= last[1]) last[1] = to;
    else fragments.push([from, to]);
    next = matched.indexOf(true, to);
  }
  return fragments
    .map(([from, to]) => {
      // Words are letters and digits only; the gaps between them are cleaned (markers, spaces).
      let out = '';
      for (let i = from; i < to; i++) {
        const token = all[i] as Token;
        if (i > from) out += cleanGap(text.slice((all[i - 1] as Token).end, token.start));
        const word = text.slice(token.start, token.end);
        out += matched[i] ? `${SNIPPET_OPEN}${word}${SNIPPET_CLOSE}` : word;
      }
      return out;
    })
    .join(FRAGMENT_DELIMITER);
}
