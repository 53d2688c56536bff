/**
 * The lessons library: 5,000 lessons across 100 engagements (varied text, some planted
 * near-duplicates) in a temporary notebook; facet + search latency over a mix of queries (with a
 * plain ILIKE scan of the same words as baseline) and similar-lesson detection over the whole
 * library. Prints one JSON object per figure. BENCH_LESSONS=N sets the number of lessons;
 * BENCH_LESSONS_SIMILAR=0 skips the whole-library similarity runs.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lessonService } from '../electron/api/lesson-handlers';
import { Notebook } from '../electron/notebook/notebook';
import { docIdFor } from '../shared/ids';
import type { LibraryFilter } from '../shared/lessons/calls';
import { addLesson } from '../shared/lessons/doc';
import { DEFAULT_SKILL_AREAS, type LessonCreate } from '../shared/lessons/model';

const LESSONS = Number(process.env.BENCH_LESSONS ?? 5_000);
const ENGAGEMENTS = 100;
const QUERIES = 120;
const SIMILAR_RUNS = 1;

const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'lessons', ...record, load: load() })}\n`);

const round = (n: number) => Math.round(n * 100) / 100;
function percentiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1) as number) };
}

// A deterministic pseudo-random source, so runs compare (mulberry32: a long period in 32-bit integer
// arithmetic; a float LCG loses precision and repeats itself after a few hundred lessons).
let seed = 7;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const SYSTEMS = [
  'SAP ECC',
  'the WMS',
  'the MES',
  'the historian',
  'Salesforce',
  'the data lake',
  'the PLC gateway',
  'Kafka',
  'the SFTP drop',
  'the scoring service',
  'Snowflake',
  'the ERP',
  'the label printers',
  'the handhelds',
  'Active Directory',
];
const SYMPTOMS = [
  'drops records silently',
  'times out under the morning peak',
  'returns dates as local time',
  'rejects messages over 1 MB',
  'double-counts late picks',
  'loses the session every ten minutes',
  'reports stale inventory',
  'fails after the certificate rotation',
  'floods the queue on restart',
  'truncates non-ASCII names',
  'scores drift after retraining',
  'misses the nightly batch window',
];
const CAUSES = [
  'a proxy idle timeout',
  'an undocumented rate limit',
  'daylight saving time in the export job',
  'a schema change nobody announced',
  'a firewall rule in the OT zone',
  'a retry storm from the client library',
  'an expired service account',
  'encoding set to Latin-1',
  'a cron job pinned to the wrong server',
  'training data from a single site',
];
const FIXES = [
  'normalise timestamps to UTC at ingestion',
  'ask for the vendor change log before go-live',
  'add an idempotency key to every message',
  'agree a named owner for the integration',
  'put a canary record through the pipeline every hour',
  'measure the baseline before promising a number',
  'brief the shift leads in person, not by memo',
  'keep a copy of the firewall request with the ticket',
  'rotate credentials with the client, on a calendar',
  'test with production-sized payloads on day one',
];
const CONTEXTS = [
  'a distribution centre with three shifts',
  'a utility control room',
  'a regional hospital network',
  'a bottling plant with legacy PLCs',
  'a retail chain of 400 stores',
  'a freight forwarder moving to the cloud',
];
const INDUSTRIES = ['Logistics', 'Energy', 'Healthcare', 'Manufacturing', 'Retail', 'Financial services', 'Public sector'];
const TAGS = [
  'erp',
  'timezones',
  'firewall',
  'ot',
  'security',
  'etl',
  'ml',
  'handover',
  'go-live',
  'vendor',
  'performance',
  'encoding',
  'credentials',
  'monitoring',
];
const APPLIES = [
  'system:database',
  'system:api',
  'system:queue',
  'system:file_drop',
  'system:device',
  'system:model_service',
  'system:pipeline',
  'protocol:SOAP',
  'protocol:REST',
  'protocol:SFTP',
  'protocol:OPC UA',
  'format:CSV',
  'format:JSON',
  'format:EDI',
];

// More pools, so that two unrelated lessons rarely share more than a phrase (a real library's
// near-duplicates are the exception, not a twentieth of all pairs).
const VERBS = [
  'drops',
  'delays',
  'duplicates',
  'corrupts',
  'rejects',
  'truncates',
  'reorders',
  'misroutes',
  'caches',
  'overwrites',
  'loses',
  'locks',
];
const OBJECTS = [
  'pick confirmations',
  'sensor readings',
  'invoices',
  'patient transfers',
  'shipment labels',
  'price updates',
  'meter reads',
  'work orders',
  'model scores',
  'user accounts',
  'batch files',
  'alarm events',
  'stock counts',
  'route plans',
];
const WHEN = [
  'after a failover',
  'at month end',
  'during the night batch',
  'under the morning peak',
  'after the vendor upgrade',
  'when the VPN flaps',
  'on the first day of a new site',
  'after daylight saving changes',
  'when two shifts overlap',
  'after a certificate rotation',
  'on payloads over 1 MB',
  'during the cutover weekend',
];
const CHECKS = [
  'the vendor change log',
  'the retry policy',
  'the clock source',
  'the service account expiry',
  'the firewall change window',
  'the character encoding',
  'the queue depth alarms',
  'the data owner sign-off',
  'the rollback plan',
  'the sample of real payloads',
  'the on-call rota',
  'the licence limits',
];
const WITHIN = [
  'before go-live',
  'in the first week',
  'before promising a date',
  'with the client admin present',
  'on every release',
  'before the steering committee',
  'after each incident',
  'before touching production',
];

// Field words: the project's own documentation, a thousand-odd real technical words (run from the
// repository's root, as npm run bench does).
const FIELD_WORDS = [
  ...new Set(
    ['README.md', '../shared/DESIGN.md'].flatMap(
      (file) =>
        fs
          .readFileSync(path.resolve(file), 'utf8')
          .toLowerCase()
          .match(/[a-z]{4,14}/g) ?? [],
    ),
  ),
];
if (FIELD_WORDS.length < 500) throw new Error('bench/lessons.ts runs from the repository root (it reads README.md for its vocabulary)');
const words = (n: number) => Array.from({ length: n }, () => pick(FIELD_WORDS)).join(' ');

function lessonText(): LessonCreate {
  const system = pick(SYSTEMS);
  const symptom = `${pick(VERBS)} ${pick(OBJECTS)} ${pick(WHEN)}`;
  const cause = pick(CAUSES);
  const fix = pick(FIXES);
  const tags = [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)].slice(0, 1 + Math.floor(rand() * 3)))];
  return {
    title: `${system[0]?.toUpperCase()}${system.slice(1)} ${symptom} (${words(3)})`,
    skillArea: pick(DEFAULT_SKILL_AREAS),
    industry: pick(INDUSTRIES),
    tags,
    appliesTo: [...new Set([pick(APPLIES), pick(APPLIES)])].slice(0, 1 + Math.floor(rand() * 2)),
    context: `At ${pick(CONTEXTS)}, ${system} fed ${pick(SYSTEMS)} every ${1 + Math.floor(rand() * 24)} hours.`,
    whatHappened: `During week ${1 + Math.floor(rand() * 12)} ${system} ${symptom}. ${pick(SYSTEMS)} ${pick(SYMPTOMS)} as a consequence, and the client noticed before we did.`,
    rootCause: `It came down to ${cause}.`,
    whatWorked: `We ${fix}, then ${pick(FIXES)}.`,
    whatDidNot: `Restarting ${pick(SYSTEMS)} hid the problem for a day. Blaming ${cause} first cost us a week.`,
    recommendation: `${words(4)}: ${fix}; ${pick(CHECKS)} ${pick(WITHIN)}, ${words(6)}.`,
    status: rand() < 0.6 ? 'reviewed' : 'draft',
    author: pick(['Dana', 'Sam', 'Priya', 'Jonas', 'Ade', 'Mei']),
  };
}

/** A near-duplicate written by another engineer: same lesson, a few words changed. */
function nearDuplicate(of: LessonCreate): LessonCreate {
  const swap = (text: string) =>
    text
      .replace(/\bthe\b/, 'our')
      .replace(/ every /, ' each ')
      .replace(/\.$/, ' early.');
  return {
    ...of,
    title: swap(of.title),
    recommendation: swap(of.recommendation ?? ''),
    author: 'Another engineer',
    tags: of.tags?.slice(0, 1),
  };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-lessons-'));
  try {
    const notebook = await Notebook.open(path.join(work, 'notebook'), { kind: 'bench' });
    const service = lessonService(notebook);
    const perEngagement = Math.ceil(LESSONS / ENGAGEMENTS);
    const engagementIds: string[] = [];
    const planted: Array<[number, number]> = [];
    const all: LessonCreate[] = [];
    for (let i = 0; i < LESSONS; i++) {
      // About 2% are near-duplicates of an earlier lesson (another engagement, mostly).
      if (i > 100 && rand() < 0.02) {
        const original = Math.floor(rand() * i);
        planted.push([original, i]);
        all.push(nearDuplicate(all[original] as LessonCreate));
      } else all.push(lessonText());
    }
    const seedStarted = performance.now();
    const refs: string[] = [];
    for (let e = 0; e < ENGAGEMENTS; e++) {
      const engagement = await notebook.engagements.create({
        client: `Client ${e}`,
        codename: `CODE-${e}`,
        ceiling: pick(['CUI', 'CONFIDENTIAL', 'SECRET']),
      });
      engagementIds.push(engagement.id);
      const doc = await notebook.docs.open(docIdFor('engagement', engagement.id));
      const base = Date.UTC(2023, 0, 1) + e * 7 * 86_400_000;
      doc.transact(() => {
        for (let i = e * perEngagement; i < Math.min(LESSONS, (e + 1) * perEngagement); i++) {
          const id = addLesson(doc, all[i] as LessonCreate, { now: new Date(base + i * 3_600_000).toISOString() });
          refs[i] = `${engagement.id}:${id}`;
        }
      });
      await notebook.docs.flush(docIdFor('engagement', engagement.id));
    }
    await notebook.docs.flush();
    const count = await notebook.db.query<{ n: number }>('SELECT count(*)::int AS n FROM lessons');
    emit({
      figure: 'seed_s',
      lessons: count.rows[0]?.n,
      engagements: ENGAGEMENTS,
      planted: planted.length,
      value: round((performance.now() - seedStarted) / 1000),
    });
    await notebook.db.exec('ANALYZE lessons');

    // A mix of library requests: words, phrases, exclusions, facets alone and together, pages.
    const words = [
      'timeout',
      'firewall',
      'timestamps',
      'vendor',
      'canary',
      'credentials',
      'schema',
      'retry',
      'encoding',
      'baseline',
      'shift',
      'kafka',
      'historian',
      'ingestion',
      'plc',
      'memo',
    ];
    const filters: LibraryFilter[] = [];
    for (let q = 0; q < QUERIES; q++) {
      const kind = q % 6;
      const word = pick(words);
      const filter: LibraryFilter & { offset?: number } = { query: '' };
      if (kind === 0) filter.query = word;
      if (kind === 1) filter.query = `${word} ${pick(words).slice(0, 4)}`;
      if (kind === 2) filter.query = `"${pick(FIXES).split(' ').slice(0, 2).join(' ')}" -${pick(words)}`;
      if (kind === 3) filter.skillAreas = [pick(DEFAULT_SKILL_AREAS)];
      if (kind === 4) {
        filter.query = word;
        filter.tags = [pick(TAGS)];
        filter.appliesTo = [pick(APPLIES)];
      }
      if (kind === 5) {
        filter.engagementIds = [pick(engagementIds), pick(engagementIds)];
        filter.industries = [pick(INDUSTRIES)];
        filter.offset = 0;
      }
      if (q % 10 === 9) filter.offset = 100;
      filters.push(filter);
    }
    for (const filter of filters.slice(0, 10)) await service.library(filter);
    const latencies: number[] = [];
    let hits = 0;
    for (const filter of filters) {
      const started = performance.now();
      const result = await service.library({ ...filter, limit: 100 });
      latencies.push(performance.now() - started);
      hits += result.total;
    }
    emit({
      figure: 'library_facets_search_ms',
      queries: filters.length,
      mean_total: Math.round(hits / filters.length),
      target_p95: 50,
      ...percentiles(latencies),
    });

    // Baseline: the same words found by a plain ILIKE scan of the texts (no facets, no ranking).
    const scan: number[] = [];
    for (const filter of filters) {
      const word = (filter.query ?? '').match(/[a-z]+/i)?.[0] ?? pick(words);
      const started = performance.now();
      await notebook.db.query(
        `SELECT ref, title FROM lessons WHERE merged_into IS NULL AND (title || ' ' || context || ' ' || what_happened || ' ' || root_cause || ' ' ||
           what_worked || ' ' || what_did_not || ' ' || recommendation) ILIKE $1 ORDER BY created_at DESC LIMIT 100`,
        [`%${word}%`],
      );
      scan.push(performance.now() - started);
    }
    emit({ figure: 'baseline_ilike_scan_ms', queries: filters.length, ...percentiles(scan) });

    // Similar-lesson detection over the whole library (at the default threshold and a stricter one), and for one lesson.
    for (const threshold of process.env.BENCH_LESSONS_SIMILAR === '0' ? [] : [0.45, 0.6]) {
      const similar: number[] = [];
      let pairs: Array<{ a: { ref: string }; b: { ref: string } }> = [];
      for (let run = 0; run < SIMILAR_RUNS; run++) {
        const started = performance.now();
        pairs = (await service.similar({ threshold, limit: 1_000 })).pairs;
        similar.push(performance.now() - started);
      }
      const found = new Set(pairs.map((p) => [p.a.ref, p.b.ref].sort().join(' ')));
      const recovered = planted.filter(([a, b]) => found.has([refs[a], refs[b]].sort().join(' '))).length;
      emit({
        figure: 'similar_whole_library_ms',
        threshold,
        lessons: LESSONS,
        pairs_shown: pairs.length,
        planted: planted.length,
        planted_found: recovered,
        target_ms: 5_000,
        ...percentiles(similar),
      });
    }
    const one: number[] = [];
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      await service.similar({ ref: refs[Math.floor(rand() * LESSONS)] as string });
      one.push(performance.now() - started);
    }
    emit({ figure: 'similar_one_lesson_ms', runs: one.length, ...percentiles(one) });
    await notebook.close();
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
