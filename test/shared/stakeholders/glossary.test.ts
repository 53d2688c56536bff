import { describe, expect, it } from 'vitest';
import {
  findJargon,
  glossaryMatcher,
  glossaryReferences,
  resolveGlossaryReference,
  segmentText,
  type TermMatcher,
} from '../../../shared/stakeholders/glossary';
import type { GlossaryEntry } from '../../../shared/stakeholders/model';

const entry = (term: string, meaning = '', kind: GlossaryEntry['kind'] = 'client', aliases: string[] = []): GlossaryEntry => ({
  id: term,
  term,
  meaning,
  kind,
  aliases,
});

const found = (matcher: TermMatcher<GlossaryEntry>, text: string) =>
  matcher.find(text).map((m) => [text.slice(m.start, m.end), m.item.term]);

describe('glossary matching', () => {
  it('matches the longest term first, whole words only, ignoring case', () => {
    const m = glossaryMatcher([entry('wave'), entry('pick wave'), entry('green screen'), entry('the green screen')]);
    expect(found(m, 'The Green Screen froze during the PICK WAVE; waves and microwave do not count. Wave.')).toEqual([
      ['The Green Screen', 'the green screen'],
      ['PICK WAVE', 'pick wave'],
      ['Wave', 'wave'],
    ]);
  });

  it('matches across line breaks and runs of spaces inside a term', () => {
    const m = glossaryMatcher([entry('order entry terminal')]);
    expect(found(m, 'the order\n  entry terminal')).toEqual([['order\n  entry terminal', 'order entry terminal']]);
  });

  it('is safe with non-ASCII letters: boundaries and case in any script', () => {
    const m = glossaryMatcher([entry('Lagerplatz'), entry('équipe de nuit'), entry('склад'), entry('出荷')]);
    expect(found(m, 'Der LAGERPLATZ, nicht Lagerplatzwechsel. L’ÉQUIPE DE NUIT arrive. Большой СКЛАД, складской. 出荷')).toEqual([
      ['LAGERPLATZ', 'Lagerplatz'],
      ['ÉQUIPE DE NUIT', 'équipe de nuit'],
      ['СКЛАД', 'склад'],
      ['出荷', '出荷'],
    ]);
    // An accented letter is a word character: "café" does not contain the word "caf".
    expect(found(glossaryMatcher([entry('caf')]), 'café caf')).toEqual([['caf', 'caf']]);
  });

  it('treats regex characters in terms literally and matches aliases', () => {
    const m = glossaryMatcher([entry('AS/400', 'IBM midrange', 'technical', ['iSeries']), entry('C++'), entry('p99 (latency)')]);
    expect(found(m, 'the as/400 (iseries) runs C++ code; p99 (latency) is high; AS-400 is not it')).toEqual([
      ['as/400', 'AS/400'],
      ['iseries', 'AS/400'],
      ['C++', 'C++'],
      ['p99 (latency)', 'p99 (latency)'],
    ]);
  });

  it('finds nothing with no terms or no text, and splits text into segments', () => {
    expect(glossaryMatcher([]).find('anything')).toEqual([]);
    const m = glossaryMatcher([entry('wave', 'a batch of picks')]);
    expect(segmentText('first wave ends', m).map((s) => [s.text, s.item?.meaning ?? null])).toEqual([
      ['first ', null],
      ['wave', 'a batch of picks'],
      [' ends', null],
    ]);
  });

  it('reads [[term]] references and resolves them by term or alias', () => {
    const entries = [entry('the green screen', 'AS/400 terminal', 'client', ['green screen'])];
    const refs = glossaryReferences('Ask about [[Green Screen]] and [[nothing]]');
    expect(refs.map((r) => r.term)).toEqual(['Green Screen', 'nothing']);
    expect(resolveGlossaryReference('Green  Screen', entries)?.term).toBe('the green screen');
    expect(resolveGlossaryReference('nothing', entries)).toBeNull();
  });

  it('matches 2,000 terms over a long text quickly', () => {
    const terms = Array.from({ length: 2000 }, (_, i) => entry(`term${i} word`));
    const text = 'some filler words here and term1999 word there. '.repeat(5000);
    const started = performance.now();
    expect(glossaryMatcher(terms).find(text)).toHaveLength(5000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('jargon flags', () => {
  const glossary = [entry('ODBC', 'the link between the WMS and the ERP', 'technical'), entry('wave', 'a batch of picks', 'client')];

  it('flags jargon-list words and technical glossary terms, not client terms', () => {
    const flags = findJargon('The API throttles ODBC calls during the wave.', ['API', 'throttle', 'throttles'], glossary);
    expect(flags.map((f) => [f.term, f.source, f.count])).toEqual([
      ['API', 'jargon list', 1],
      ['throttles', 'jargon list', 1],
      ['ODBC', 'glossary', 1],
    ]);
    expect(flags.find((f) => f.term === 'ODBC')?.meaning).toBe('the link between the WMS and the ERP');
  });

  it('does not flag a term the text explains', () => {
    expect(findJargon('The ODBC (the link between our systems) is slow. ODBC again.', [], glossary)).toEqual([]);
    expect(findJargon('The API — the doorway the ERP gives us — limits us.', ['API'], glossary)).toEqual([]);
    expect(findJargon('The link between the WMS and the ERP, ODBC, is slow.', [], glossary)).toEqual([]);
    expect(findJargon('Latency, i.e. waiting time, is up.', ['latency'], glossary)).toEqual([]);
    expect(findJargon('The latency is up.', ['latency'], glossary)).toHaveLength(1);
  });
});
