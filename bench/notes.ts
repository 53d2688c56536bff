/**
 * `npm run bench` (second part): engagement notes at scale, printed as JSON lines.
 *
 * A seeded corpus (bench/corpus.ts) of BENCH_NOTES notes (default 20,000, ≈ 100 MB of Markdown)
 * across 40 engagements, one of them a 50,000-word field log, then:
 * - seed: inserting it with notes.createMany in batches of 500;
 * - index_build: notebook.rebuildProjections(), i.e. the search index from the update log;
 * - search: 50 realistic queries through notes.search (p50/p95/max, hits);
 * - minisearch_build / minisearch_search: the in-memory baseline over the same text and queries;
 * - open_note_server: loading the long note's Y.Doc from the log in a fresh open, and its Markdown;
 * - open_note_ui: opening the long note in Chromium against browser mode until its last paragraph shows;
 * - memory: this process and the browser-mode host at the end.
 * Targets from the issue: search p95 ≤ 50 ms at 20k notes; opening the 50k-word note ≤ 300 ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import type { Browser } from 'playwright-core';
import { Notebook } from '../electron/notebook/notebook';
import { noteFilterSql, toTsQuery } from '../electron/notes/note-query';
import type { NoteCreate } from '../shared/notes/model';
import { launchChromium } from '../test/helpers/chromium';
import { type EngagementSpec, engagementSpecs, generateLongNote, generateNote, identifier, LONG_NOTE_MARKER } from './corpus';
import { type BenchHost, memoryOf, startHost } from './host';
import { openNoteUi } from './open-note-ui';

const NOTES = Number(process.env.BENCH_NOTES ?? 20_000);
const ENGAGEMENTS = Number(process.env.BENCH_ENGAGEMENTS ?? 40);
const SEARCH_RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 3);
const LONG_NOTE_WORDS = 50_000;
const BATCH = 500;
const UI_OPENS = 5;
const root = path.resolve(import.meta.dirname, '..');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50_ms: round(at(0.5)), p95_ms: round(at(0.95)), max_ms: round(sorted[sorted.length - 1] as number) };
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function processMemory() {
  const usage = process.memoryUsage();
  return { rss_mb: mb(usage.rss), heap_used_mb: mb(usage.heapUsed), peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024) };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// Seeding

interface Seeded {
  engagementIds: string[];
  longNote: { id: string; engagementId: string };
}

async function seed(nb: Notebook, specs: EngagementSpec[]): Promise<Seeded> {
  const started = performance.now();
  const engagementIds: string[] = [];
  for (const spec of specs) {
    const engagement = await nb.engagements.create({
      client: spec.client,
      codename: spec.codename,
      site: spec.site,
      ceiling: 'SECRET',
      status: 'active',
    });
    engagementIds.push(engagement.id);
  }
  const long = generateLongNote(specs[0] as EngagementSpec, LONG_NOTE_WORDS);
  const toInput = (note: ReturnType<typeof generateNote>): NoteCreate => ({
    engagementId: engagementIds[note.engagement] as string,
    type: note.type,
    title: note.title,
    tags: note.tags,
    classification: note.classification,
    markdown: note.markdown,
  });
  let bytes = Buffer.byteLength(long.markdown);
  const words: number[] = [long.words];
  let withCode = long.markdown.includes('```') ? 1 : 0;
  let generateMs = 0;
  await nb.notes.createMany([toInput(long)]);
  for (let start = 0; start < NOTES - 1; start += BATCH) {
    const t = performance.now();
    const inputs: NoteCreate[] = [];
    for (let i = start; i < Math.min(NOTES - 1, start + BATCH); i++) {
      const note = generateNote(i, specs);
      bytes += Buffer.byteLength(note.markdown);
      words.push(note.words);
      if (note.markdown.includes('```')) withCode++;
      inputs.push(toInput(note));
    }
    generateMs += performance.now() - t;
    await nb.notes.createMany(inputs);
  }
  const totalMs = performance.now() - started;
  const longId = await nb.notes.resolve(long.title, engagementIds[0]);
  const longSummary = await nb.notes.summary(longId);
  words.sort((a, b) => a - b);
  emit({
    bench: 'seed',
    notes: NOTES,
    engagements: specs.length,
    batch: BATCH,
    markdown_mb: mb(bytes),
    words_total: words.reduce((sum, n) => sum + n, 0),
    words_p50: words[Math.floor(words.length / 2)],
    words_p95: words[Math.floor(words.length * 0.95)],
    words_max: words[words.length - 1],
    notes_with_code: withCode,
    long_note_words: longSummary.words,
    total_ms: Math.round(totalMs),
    generate_ms: Math.round(generateMs),
    insert_ms: Math.round(totalMs - generateMs),
    notes_per_s: Math.round(NOTES / ((totalMs - generateMs) / 1000)),
    markdown_mb_per_s: round(bytes / 1024 / 1024 / ((totalMs - generateMs) / 1000), 2),
    notebook_mb_on_disk: mb(folderBytes(nb.dir)),
  });
  return { engagementIds, longNote: { id: longId, engagementId: engagementIds[0] as string } };
}

// ---------------------------------------------------------------------------------------------
// Queries: what people type into the palette or the notes search box.

interface BenchQuery {
  kind: string;
  text: string;
  /** Index of the engagement to filter on, if any. */
  engagement?: number;
}

function buildQueries(specs: EngagementSpec[]): BenchQuery[] {
  const topic = (e: number, i: number) => specs[e % specs.length]?.topicWords[i] as string;
  const q: BenchQuery[] = [
    // Single common words.
    { kind: 'common word', text: 'timeout' },
    { kind: 'common word', text: 'erp' },
    { kind: 'common word', text: 'warehouse' },
    { kind: 'common word', text: 'kafka' },
    { kind: 'common word', text: 'restart' },
    { kind: 'common word', text: 'inventory' },
    { kind: 'common word', text: 'certificate' },
    // Uncommon words (error codes, IDoc segments, products) and rare identifiers (tickets, SKUs, POs).
    { kind: 'uncommon word', text: 'ORA-01555' },
    { kind: 'uncommon word', text: 'kepware' },
    { kind: 'uncommon word', text: 'holt-winters' },
    { kind: 'rare identifier', text: identifier(50).toUpperCase() },
    { kind: 'rare identifier', text: identifier(200).toUpperCase() },
    { kind: 'rare identifier', text: identifier(500).toUpperCase() },
    { kind: 'rare identifier', text: identifier(2000).toUpperCase() },
    // Two words.
    { kind: 'two words', text: 'sap idoc' },
    { kind: 'two words', text: 'odbc timeout' },
    { kind: 'two words', text: 'model drift' },
    { kind: 'two words', text: 'kafka consumer' },
    { kind: 'two words', text: 'plc scanner' },
    { kind: 'two words', text: 'firewall sftp' },
    { kind: 'two words', text: 'replenishment forecast' },
    // Phrases.
    { kind: 'phrase', text: '"pick wave"' },
    { kind: 'phrase', text: '"dead letter queue"' },
    { kind: 'phrase', text: '"snapshot too old"' },
    { kind: 'phrase', text: '"certificate expiry"' },
    // or / -exclude.
    { kind: 'or', text: 'kafka or mqtt' },
    { kind: 'or', text: 'sftp or as2' },
    { kind: 'or', text: 'xgboost or lightgbm' },
    { kind: 'exclude', text: 'sftp -edi' },
    { kind: 'exclude', text: 'timeout -odbc' },
    { kind: 'exclude', text: 'drift -retraining' },
    // Prefixes, as someone is typing.
    { kind: 'prefix', text: 'replen' },
    { kind: 'prefix', text: 'inv' },
    { kind: 'prefix', text: 'cert' },
    { kind: 'prefix', text: 'idoc st' },
    { kind: 'prefix', text: 'odbc tim' },
    { kind: 'prefix', text: 'co' },
  ];
  // The same kinds within one engagement (the notes pane's search box).
  const filtered: BenchQuery[] = [
    { kind: 'common word', text: 'timeout', engagement: 0 },
    { kind: 'common word', text: 'erp', engagement: 3 },
    { kind: 'topic word', text: topic(1, 0), engagement: 1 },
    { kind: 'topic word', text: topic(5, 1), engagement: 5 },
    { kind: 'rare identifier', text: identifier(5).toUpperCase(), engagement: 2 },
    { kind: 'two words', text: 'pick wave', engagement: 0 },
    { kind: 'two words', text: `${topic(7, 2)} ${topic(7, 3)}`, engagement: 7 },
    { kind: 'phrase', text: '"odbc timeout"', engagement: 4 },
    { kind: 'or', text: 'kafka or mqtt', engagement: 6 },
    { kind: 'exclude', text: 'sftp -edi', engagement: 8 },
    { kind: 'prefix', text: 'repl', engagement: 0 },
    { kind: 'prefix', text: 'wa', engagement: 9 },
    { kind: 'prefix', text: 'odbc t', engagement: 1 },
  ];
  return [...q, ...filtered];
}

async function searchBench(nb: Notebook, queries: BenchQuery[], engagementIds: string[]): Promise<void> {
  const times: number[] = [];
  const perQuery: Array<{ query: string; engagement: boolean; matched: number; p50_ms: number }> = [];
  const byKind = new Map<string, number[]>();
  let returned = 0;
  for (const query of queries) {
    const filter = query.engagement === undefined ? {} : { engagementId: engagementIds[query.engagement % engagementIds.length] as string };
    const hits = await nb.notes.search(query.text, filter); // warm-up
    returned += hits.length;
    const mine: number[] = [];
    for (let run = 0; run < SEARCH_RUNS; run++) {
      const start = performance.now();
      await nb.notes.search(query.text, filter);
      mine.push(performance.now() - start);
    }
    times.push(...mine);
    const kind = `${query.kind}${query.engagement === undefined ? '' : ' (engagement)'}`;
    byKind.set(kind, [...(byKind.get(kind) ?? []), ...mine]);
    // How many notes the query matches in all (search returns the best 20).
    const tsquery = toTsQuery(query.text);
    let matched = 0;
    if (tsquery) {
      const params: unknown[] = [tsquery.value];
      const where = noteFilterSql(filter, params);
      const count = await nb.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notes n WHERE n.search @@ ${tsquery.sql.replace('$Q', '$1')} AND ${where}`,
        params,
      );
      matched = count.rows[0]?.n ?? 0;
    }
    perQuery.push({ query: query.text, engagement: query.engagement !== undefined, matched, p50_ms: round(median(mine)) });
  }
  const matched = perQuery.map((q) => q.matched).sort((a, b) => a - b);
  emit({
    bench: 'search',
    engine: 'postgres-fts',
    notes: NOTES,
    queries: queries.length,
    runs_per_query: SEARCH_RUNS,
    samples: times.length,
    ...stats(times),
    target_p95_ms: 50,
    avg_hits_returned: round(returned / queries.length, 1),
    avg_hits_matched: round(matched.reduce((s, n) => s + n, 0) / matched.length, 1),
    min_hits_matched: matched[0],
    median_hits_matched: matched[Math.floor(matched.length / 2)],
    max_hits_matched: matched[matched.length - 1],
    p50_ms_by_kind: Object.fromEntries([...byKind].map(([kind, values]) => [kind, round(median(values))])),
    slowest: [...perQuery].sort((a, b) => b.p50_ms - a.p50_ms).slice(0, 5),
  });
}

// ---------------------------------------------------------------------------------------------
// MiniSearch baseline: the same text Postgres indexes (the notes projection's title, body, tags).

interface MiniDoc {
  id: string;
  engagementId: string;
  title: string;
  body: string;
  tags: string[];
}

/**
 * Maps a query to MiniSearch (options: prefix on every term, AND). The closest equivalents:
 * - plain words: as is (Postgres prefixes only the last word, and stems English words; MiniSearch
 *   does not stem, so its prefix matching on all terms stands in for the stemming);
 * - "a phrase": MiniSearch has no phrases, so the quotes are stripped: all words, in any order;
 * - `a or b`: combineWith OR;
 * - `a -b`: AND_NOT of `a` and `b`;
 * - an engagement filter: a `filter` on the stored engagementId.
 */
function toMiniQuery(text: string): Query {
  const stripped = text.replace(/"/g, ' ').trim();
  if (/\sor\s/i.test(stripped)) return { queries: stripped.split(/\s+or\s+/i), combineWith: 'OR' };
  const words = stripped.split(/\s+/);
  const excluded = words.filter((w) => w.startsWith('-') && w.length > 1).map((w) => w.slice(1));
  if (excluded.length) return { queries: [words.filter((w) => !w.startsWith('-')).join(' '), ...excluded], combineWith: 'AND_NOT' };
  return stripped;
}

async function miniSearchBench(nb: Notebook, queries: BenchQuery[], engagementIds: string[]): Promise<void> {
  gc();
  const before = process.memoryUsage();
  const index = new MiniSearch<MiniDoc>({
    fields: ['title', 'body', 'tags'],
    storeFields: ['engagementId'],
    extractField: (doc, field) => {
      const value = doc[field as keyof MiniDoc];
      return Array.isArray(value) ? value.join(' ') : value;
    },
    searchOptions: { prefix: true, combineWith: 'AND' },
  });
  let buildMs = 0;
  let readMs = 0;
  let last = '00000000-0000-0000-0000-000000000000';
  let docs = 0;
  for (;;) {
    const t = performance.now();
    const page = await nb.db.query<{ id: string; engagement_id: string; title: string; body: string; tags: string[] }>(
      'SELECT id, engagement_id, title, body, tags FROM notes WHERE id > $1::uuid ORDER BY id LIMIT 1000',
      [last],
    );
    readMs += performance.now() - t;
    if (!page.rows.length) break;
    const batch = page.rows.map((r) => ({ id: r.id, engagementId: r.engagement_id, title: r.title, body: r.body, tags: r.tags }));
    const start = performance.now();
    index.addAll(batch);
    buildMs += performance.now() - start;
    docs += batch.length;
    last = (page.rows[page.rows.length - 1] as { id: string }).id;
  }
  gc();
  const after = process.memoryUsage();
  emit({
    bench: 'minisearch_build',
    notes: docs,
    terms: index.termCount,
    build_ms: Math.round(buildMs),
    read_from_db_ms: Math.round(readMs),
    heap_used_mb: mb(after.heapUsed),
    index_heap_mb: mb(after.heapUsed - before.heapUsed),
    rss_mb: mb(after.rss),
  });

  const times: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const engagementId = query.engagement === undefined ? undefined : engagementIds[query.engagement % engagementIds.length];
    const options: SearchOptions = engagementId ? { filter: (result) => result.engagementId === engagementId } : {};
    const q = toMiniQuery(query.text);
    hits += index.search(q, options).length; // warm-up
    for (let run = 0; run < SEARCH_RUNS; run++) {
      const start = performance.now();
      index.search(q, options).slice(0, 20);
      times.push(performance.now() - start);
    }
  }
  emit({
    bench: 'minisearch_search',
    engine: 'minisearch',
    notes: docs,
    queries: queries.length,
    runs_per_query: SEARCH_RUNS,
    samples: times.length,
    ...stats(times),
    avg_hits_matched: round(hits / queries.length, 1),
    note: 'no snippets, no stemming, no phrases (quotes stripped)',
  });
}

// ---------------------------------------------------------------------------------------------
// Opening the 50,000-word note.

async function openNoteServer(dir: string, noteId: string): Promise<void> {
  const runs: Array<{ open_notebook_ms: number; load_doc_ms: number; markdown_ms: number }> = [];
  let markdownKb = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const nb = await Notebook.open(dir, { kind: 'bench' });
    try {
      const t1 = performance.now();
      await nb.docs.open(`note:${noteId}`);
      const t2 = performance.now();
      const markdown = await nb.notes.markdown(noteId);
      const t3 = performance.now();
      if (!markdown.includes(LONG_NOTE_MARKER)) throw new Error('The long note lost its last paragraph');
      markdownKb = Math.round(Buffer.byteLength(markdown) / 1024);
      runs.push({ open_notebook_ms: round(t1 - t0), load_doc_ms: round(t2 - t1), markdown_ms: round(t3 - t2) });
    } finally {
      await nb.close();
    }
  }
  const loads = runs.map((r) => r.load_doc_ms);
  const totals = runs.map((r) => r.load_doc_ms + r.markdown_ms);
  emit({
    bench: 'open_note_server',
    words: LONG_NOTE_WORDS,
    markdown_kb: markdownKb,
    runs: runs.length,
    load_doc_median_ms: round(median(loads)),
    markdown_median_ms: round(median(runs.map((r) => r.markdown_ms))),
    load_and_markdown_median_ms: round(median(totals)),
    open_notebook_median_ms: round(median(runs.map((r) => r.open_notebook_ms))),
    target_ms: 300,
    detail: runs,
  });
}

// ---------------------------------------------------------------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-notes-'));
const dir = path.join(work, 'notebook');
let nb: Notebook | null = null;
let host: BenchHost | null = null;
let browser: Browser | null = null;
const benchStart = performance.now();
try {
  if (!fs.existsSync(path.join(root, 'dist/web.js'))) throw new Error('dist/web.js is missing: run node scripts/build.mjs first');
  const specs = engagementSpecs(ENGAGEMENTS);
  emit({ bench: 'notes_scale', notes: NOTES, engagements: ENGAGEMENTS, long_note_words: LONG_NOTE_WORDS, search_runs: SEARCH_RUNS });

  const initStart = performance.now();
  nb = await Notebook.open(dir, { kind: 'bench' });
  const initMs = performance.now() - initStart;
  const seeded = await seed(nb, specs);

  const rebuildStart = performance.now();
  const report = await nb.rebuildProjections();
  emit({
    bench: 'index_build',
    notes: NOTES,
    total_ms: Math.round(performance.now() - rebuildStart),
    tables: report,
    ...processMemory(),
    notebook_mb_on_disk: mb(folderBytes(dir)),
    initdb_ms: Math.round(initMs),
  });

  const queries = buildQueries(specs);
  await searchBench(nb, queries, seeded.engagementIds);
  await miniSearchBench(nb, queries, seeded.engagementIds);
  gc();
  await nb.close();
  nb = null;

  await openNoteServer(dir, seeded.longNote.id);

  host = await startHost(dir);
  browser = await launchChromium();
  const ui = await openNoteUi(host, browser, seeded.longNote.engagementId, seeded.longNote.id, { opens: UI_OPENS });
  emit({ bench: 'open_note_ui', words: LONG_NOTE_WORDS, ...ui, target_ms: 300 });
  gc();
  emit({
    bench: 'memory',
    notes: NOTES,
    bench_process: processMemory(),
    host: memoryOf(host.pid),
    total_runtime_s: Math.round((performance.now() - benchStart) / 1000),
  });
} finally {
  await browser?.close().catch(() => {});
  await host?.stop().catch(() => {});
  await nb?.close().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
