/**
 * Which images a palette search was about: the words of a search query, whether an image's text
 * (read by OCR) holds them all, and where, so the note can highlight what was found. Pure, so a
 * unit test needs no editor.
 *
 * The palette searches as you type (Postgres' websearch syntax: words, "a phrase", -exclude, or),
 * so the last word is often unfinished: it matches as a word's start, the others as whole words.
 */

/** Letters and digits: "ORA-12170" is the words "ora" and "12170", as the search index sees it. */
const WORD = /[\p{L}\p{N}_]+/gu;

/** The query's words, lowercased, without the excluded ones (-word) and the `or` operator. */
export function queryTerms(query: string): string[] {
  const kept = query
    .split(/\s+/)
    // An excluded word was not found in the note: there is nothing of it to highlight.
    .filter((token) => token && !token.startsWith('-') && token.toLowerCase() !== 'or');
  return kept.flatMap((token) => token.toLowerCase().match(WORD) ?? []);
}

/** Whether `word` (lowercased) is what term `index` of `terms` asks for. */
function wordMatches(word: string, terms: string[], index: number): boolean {
  const term = terms[index] as string;
  return index === terms.length - 1 ? word.startsWith(term) : word === term;
}

/** Whether `text` holds every term (none: false, so an empty query highlights nothing). */
export function ocrMatches(text: string | null, terms: string[]): boolean {
  if (!text || terms.length === 0) return false;
  const words = new Set(text.toLowerCase().match(WORD) ?? []);
  return terms.every((_, index) => [...words].some((word) => wordMatches(word, terms, index)));
}

/** `text` cut into runs, each marked when it is a word the terms ask for (shown as <mark>). */
export function markedRuns(text: string, terms: string[]): Array<{ text: string; marked: boolean }> {
  const runs: Array<{ text: string; marked: boolean }> = [];
  let last = 0;
  for (const found of text.matchAll(WORD)) {
    const word = found[0].toLowerCase();
    if (!terms.some((_, index) => wordMatches(word, terms, index))) continue;
    const start = found.index ?? 0;
    if (start > last) runs.push({ text: text.slice(last, start), marked: false });
    runs.push({ text: found[0], marked: true });
    last = start + found[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), marked: false });
  return runs;
}
