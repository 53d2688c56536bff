import { describe, expect, it } from 'vitest';
import { candidateWords, firstWords, queryLexemes, snippet } from '../../../shared/lessons/snippet';

// Lexemes as Postgres' english configuration gives them, for the words these tests use.
const STEMS: Record<string, string[]> = {
  shift: ['shift'],
  shifts: ['shift'],
  shifty: ['shifti'],
  timeout: ['timeout'],
  timeouts: ['timeout'],
  retries: ['retri'],
  retry: ['retri'],
  the: [],
};
const lexemesOf = (word: string) => STEMS[word];

describe('queryLexemes', () => {
  it('reads exact and prefix lexemes and leaves out negated ones', () => {
    expect(queryLexemes("'rotat' <-> 'credenti' & !'timestamp'")).toEqual({ exact: ['rotat', 'credenti'], prefixes: [] });
    expect(queryLexemes("'shift' & 'timeout':*")).toEqual({ exact: ['shift'], prefixes: ['timeout'] });
    expect(queryLexemes("'o''brien'")).toEqual({ exact: ["o'brien"], prefixes: [] });
    expect(queryLexemes('')).toEqual({ exact: [], prefixes: [] });
  });
});

describe('candidateWords', () => {
  it('keeps the distinct words whose opening could stem to a lexeme', () => {
    const words = candidateWords(['Shifts overlap; the SHIFT lead', 'retries and retry, shifty'], {
      exact: ['shift', 'retri'],
      prefixes: [],
    });
    expect(words.sort()).toEqual(['retries', 'retry', 'shift', 'shifts', 'shifty']);
  });

  it('finds nothing without lexemes', () => {
    expect(candidateWords(['anything'], { exact: [], prefixes: [] })).toEqual([]);
  });
});

describe('snippet', () => {
  it('marks the words whose lexemes match, not the ones that only look alike', () => {
    const out = snippet('Two shifts overlap and the shifty shift lead waits.', { exact: ['shift'], prefixes: [] }, lexemesOf);
    expect(out).toBe('Two «shifts» overlap and the shifty «shift» lead waits');
  });

  it('matches prefixes of lexemes (search as you type)', () => {
    expect(snippet('A timeouts storm', { exact: [], prefixes: ['time'] }, lexemesOf)).toBe('A «timeouts» storm');
  });

  it('cuts up to two fragments of up to 24 words around matches, joined by an ellipsis', () => {
    const filler = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const text = `${filler(40, 'a')} retry ${filler(40, 'b')} retries ${filler(40, 'c')} retry ${filler(10, 'd')}`;
    const out = snippet(text, { exact: ['retri'], prefixes: [] }, lexemesOf);
    const fragments = out.split(' … ');
    expect(fragments).toHaveLength(2);
    expect(fragments[0]).toMatch(/^a34 .* «retry» b0 .* b16$/);
    expect(fragments[1]).toMatch(/^b34 .* «retries» c0 /);
    for (const fragment of fragments) expect(fragment.split(' ')).toHaveLength(24);
  });

  it('joins matches close together into one fragment', () => {
    const out = snippet('one retry two three retries four', { exact: ['retri'], prefixes: [] }, lexemesOf);
    expect(out).toBe('one «retry» two three «retries» four');
  });

  it('never lets the text forge a mark, and collapses whitespace', () => {
    const out = snippet('a «fake» mark\n\nthen the   retry', { exact: ['retri'], prefixes: [] }, lexemesOf);
    expect(out).toBe('a "fake" mark then the «retry»');
  });

  it('keeps accented and non-Latin words whole', () => {
    const stems: Record<string, string[]> = { müller: ['müller'] };
    expect(snippet('Frau Müller approved', { exact: ['müller'], prefixes: [] }, (w) => stems[w])).toBe('Frau «Müller» approved');
  });

  it('falls back to the first words when nothing matches (a match in the title only)', () => {
    const text = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(snippet(text, { exact: ['retri'], prefixes: [] }, lexemesOf)).toBe(firstWords(text));
    expect(firstWords(text).split(' ')).toHaveLength(31);
    expect(firstWords(text).endsWith(' …')).toBe(true);
  });
});
