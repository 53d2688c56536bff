/**
 * Stakeholder translations: glossary matching, jargon flags and readability over a long note, and
 * brief generation (HTML, Markdown, PDF through the system Chromium). Prints one JSON object per
 * figure. BENCH_STAKEHOLDERS_QUICK=1 makes a small, fast run.
 */

import * as Y from 'yjs';
import { ChromiumPdfPrinter } from '../electron/stakeholders/pdf-printer';
import { briefToHtml, briefToMarkdown, composeBrief } from '../shared/stakeholders/brief';
import {
  addCard,
  addGlossaryEntry,
  addStakeholder,
  readCards,
  readGlossary,
  readStakeholders,
  setRendering,
} from '../shared/stakeholders/doc';
import { findJargon, glossaryMatcher, TermMatcher } from '../shared/stakeholders/glossary';
import { DEFAULT_JARGON } from '../shared/stakeholders/model';
import { readability } from '../shared/stakeholders/readability';

const QUICK = process.env.BENCH_STAKEHOLDERS_QUICK === '1';
const WORDS = QUICK ? 5_000 : 50_000;
const TERMS = QUICK ? 100 : 1_000;
const CARDS = 12;
const RUNS = QUICK ? 3 : 10;
const PDF_RUNS = QUICK ? 1 : 5;

const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] as number) * 100) / 100;
}

async function time(runs: number, fn: () => unknown | Promise<unknown>): Promise<{ p50: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: median(times), min: Math.round(Math.min(...times) * 100) / 100, max: Math.round(Math.max(...times) * 100) / 100 };
}

// A deterministic pseudo-random source, so runs compare.
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

const VOCAB =
  'the pick wave was released late because the ERP API throttled requests during the morning peak and the handhelds waited for suggestions while the night shift restarted the sync job on the green screen terminal near dock four'.split(
    ' ',
  );

async function main() {
  const doc = new Y.Doc();
  const people = ['Maria Lopez', 'Dev Patel', 'Ruth King', 'Sam Reed'].map((name, i) =>
    addStakeholder(doc, { name, kind: (['operations', 'it_security', 'executive', 'end_user'] as const)[i] }),
  );
  for (let i = 0; i < TERMS; i++) {
    addGlossaryEntry(doc, {
      term: i % 10 === 0 ? `${VOCAB[i % VOCAB.length]} ${VOCAB[(i * 7) % VOCAB.length]} ${i}` : `term${i} ${VOCAB[i % VOCAB.length]}`,
      meaning: `meaning of term ${i}`,
      kind: i % 3 === 0 ? 'technical' : 'client',
    });
  }
  addGlossaryEntry(doc, { term: 'green screen', meaning: 'the AS/400 order entry terminal' });
  addGlossaryEntry(doc, { term: 'wave', meaning: 'a batch of picks released together' });
  const glossary = readGlossary(doc).entries;

  // A long field log: WORDS words in sentences of 8–25 words, some glossary terms in it.
  const words: string[] = [];
  while (words.length < WORDS) {
    const length = 8 + Math.floor(rand() * 18);
    for (let i = 0; i < length; i++) words.push(VOCAB[Math.floor(rand() * VOCAB.length)] as string);
    words[words.length - 1] += '.';
    if (rand() < 0.1) words.push(`term${Math.floor(rand() * TERMS)}`, VOCAB[Math.floor(rand() * VOCAB.length)] as string);
  }
  const note = words.join(' ');

  const build = await time(RUNS, () => new TermMatcher(glossary.map((e) => ({ spellings: [e.term, ...e.aliases], item: e }))));
  emit({ bench: 'stakeholders', figure: 'glossary_matcher_build_ms', terms: glossary.length, ...build });
  const matcher = glossaryMatcher(glossary);
  const matches = matcher.find(note).length;
  const match = await time(RUNS, () => matcher.find(note));
  emit({ bench: 'stakeholders', figure: 'glossary_match_long_note_ms', words: WORDS, terms: glossary.length, matches, ...match });
  const jargon = await time(RUNS, () => findJargon(note, DEFAULT_JARGON, glossary));
  emit({ bench: 'stakeholders', figure: 'jargon_flags_long_note_ms', words: WORDS, ...jargon });
  const paragraph = words.slice(0, 120).join(' ');
  const hint = await time(RUNS * 20, () => {
    readability(paragraph);
    findJargon(paragraph, DEFAULT_JARGON, glossary);
  });
  // The view re-reads an unchanged glossary on every keystroke: its matchers are reused.
  emit({ bench: 'stakeholders', figure: 'rendering_hints_per_keystroke_ms', words: 120, terms: glossary.length, ...hint });
  const score = await time(RUNS, () => readability(note));
  emit({ bench: 'stakeholders', figure: 'readability_long_note_ms', words: WORDS, ...score });

  // A brief of CARDS cards with realistic renderings.
  for (let i = 0; i < CARDS; i++) {
    const card = addCard(doc, {
      title: `Finding ${i + 1}: ${words.slice(i * 7, i * 7 + 6).join(' ')}`,
      severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4],
    });
    setRendering(
      doc,
      card,
      { type: 'kind', kind: 'operations' },
      {
        explanation: words.slice(i * 50, i * 50 + 45).join(' '),
        impact: words.slice(i * 30, i * 30 + 20).join(' '),
        ask: words.slice(i * 20, i * 20 + 15).join(' '),
      },
    );
  }
  const sources = {
    engagement: { codename: 'HERON', client: 'Acme Logistics', site: 'Reno DC', ceiling: 'CUI' },
    stakeholders: readStakeholders(doc).stakeholders,
    cards: readCards(doc).cards,
    glossary,
  };
  const selection = { audience: { type: 'stakeholder' as const, id: people[0] as string }, date: '2026-11-29' };
  const html = await time(RUNS, () => briefToHtml(composeBrief(sources, selection).brief));
  emit({ bench: 'stakeholders', figure: 'brief_html_ms', cards: CARDS, glossary: glossary.length, ...html });
  const md = await time(RUNS, () => briefToMarkdown(composeBrief(sources, selection).brief));
  emit({ bench: 'stakeholders', figure: 'brief_markdown_ms', cards: CARDS, ...md });
  const document = briefToHtml(composeBrief(sources, selection).brief);
  const printer = new ChromiumPdfPrinter();
  let bytes = 0;
  const pdf = await time(PDF_RUNS, async () => {
    bytes = (await printer.print(document)).length;
  });
  emit({ bench: 'stakeholders', figure: 'brief_pdf_ms', cards: CARDS, bytes, ...pdf });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
