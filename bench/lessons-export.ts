/**
 * Sanitized sharing: 500 lessons across 10 engagements (each with a team, stakeholders, a map and
 * a client glossary whose names are planted in the lessons' texts) in a temporary notebook, in a
 * playbook of 10 chapters. Times the whole export (read from the engagement docs, cap, dictionary,
 * redaction of every field, rendering, final scan, file bytes) as a Markdown folder (.zip and a
 * real folder), HTML and PDF (system Chromium), with the same export unsanitized as baseline in
 * the same run. Prints one JSON object per figure; a PDF figure also gives the part spent in
 * Chromium once the export is prepared (print_*: loading and printing the HTML; Chromium starts
 * while the export is prepared). BENCH_EXPORT_LESSONS=N sets the number of lessons; BENCH_EXPORT_FORMATS
 * (e.g. "pdf" or "md,html") chooses the formats; BENCH_EXPORT_PDF=0 skips the PDF.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LessonExportService } from '../electron/lessons/lesson-export';
import { Notebook } from '../electron/notebook/notebook';
import { ChromiumPdfPrinter, type PdfPrinter } from '../electron/stakeholders/pdf-printer';
import { docIdFor, newId } from '../shared/ids';
import { addLesson } from '../shared/lessons/doc';
import type { ExportRequest } from '../shared/lessons/export-calls';
import { DEFAULT_SKILL_AREAS, lessonRef } from '../shared/lessons/model';
import { addChapter, initPlaybookDoc, placeLesson } from '../shared/lessons/playbook';
import { applyMapChanges } from '../shared/map/doc';
import { SYSTEM_KINDS } from '../shared/map/model';
import { addGlossaryEntry, addStakeholder } from '../shared/stakeholders/doc';

const LESSONS = Number(process.env.BENCH_EXPORT_LESSONS ?? 500);
const ENGAGEMENTS = 10;
const RUNS = 3;
const FORMATS = (process.env.BENCH_EXPORT_FORMATS ?? 'md,html,pdf').split(',').map((f) => f.trim());
const PDF = process.env.BENCH_EXPORT_PDF !== '0' && FORMATS.includes('pdf');

const load = () => os.loadavg().map((l) => Math.round(l * 100) / 100);
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average: ${load().join(', ')}`;
  }
};
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'lessons-export', ...record, load: load() })}\n`);
const round = (n: number) => Math.round(n * 100) / 100;

function summary(times: number[], prefix = '') {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    [`${prefix}p50_ms`]: round(sorted[Math.floor(sorted.length / 2)] as number),
    [`${prefix}min_ms`]: round(sorted[0] as number),
    [`${prefix}max_ms`]: round(sorted.at(-1) as number),
  };
}

async function time(runs: number, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return summary(times);
}

let seed = 11;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
const VOCAB =
  'the pick wave was released late because the integration throttled requests during the morning peak and the handhelds waited for suggestions while the night shift restarted the sync job near dock four after the nightly batch overran its window'.split(
    ' ',
  );
const FIRST = ['Maria', 'Dev', 'Ruth', 'Sam', 'Jürgen', 'Zoë', 'Łucja', 'Ana', 'Tomás', 'Ines', 'Kofi', 'Mei'];
const LAST = ['Lopez', 'Patel', 'King', 'Reed', 'Müller', 'Kowalczyk', 'Nowak', 'Silva', 'Okafor', 'Chen', 'Dubois', 'Haddad'];

function sentence(names: string[], words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(rand() < 0.04 ? pick(names) : pick(VOCAB));
    if (i % 14 === 13) out[out.length - 1] += rand() < 0.2 ? '.\n' : '.';
  }
  return `${out.join(' ')}.`;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-export-'));
  const started = performance.now();
  const notebook = await Notebook.open(path.join(dir, 'notebook'), { kind: 'bench' });
  try {
    const refs: string[] = [];
    for (let e = 0; e < ENGAGEMENTS; e++) {
      const client = `${pick(['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Müller', 'Łódź'])} ${pick(['Logistics', 'Pharma', 'Foods', 'Retail', 'Energy'])} ${e}`;
      const engagement = await notebook.engagements.create({
        client,
        codename: `BIRD${e}`,
        site: `Site town ${e}`,
        ceiling: 'UNCLASSIFIED',
        team: Array.from({ length: 4 }, (_, i) => ({ name: `${FIRST[(e + i) % FIRST.length]} ${LAST[(e * 3 + i) % LAST.length]}` })),
      });
      const doc = await notebook.docs.open(docIdFor('engagement', engagement.id));
      const names = [client, `BIRD${e}`, `Site town ${e}`];
      for (let s = 0; s < 10; s++) {
        const name = `${FIRST[(s + e) % FIRST.length]} ${LAST[(s * 5 + e) % LAST.length]}-${e}`;
        addStakeholder(doc, { name, organisation: s % 3 === 0 ? client : `Vendor ${e}-${s}` });
        names.push(name);
      }
      const systems = Array.from({ length: 20 }, (_, s) => ({
        id: newId(),
        name: `${pick(['SAP', 'WMS', 'Historian', 'Kafka', 'Lake'])} node ${e}-${s}`,
        kind: pick(SYSTEM_KINDS),
      }));
      applyMapChanges(doc, [
        ...Array.from({ length: 3 }, (_, z) => ({ op: 'addZone' as const, zone: { name: `Zone net ${e}-${z}` } })),
        ...systems.map((system) => ({ op: 'addSystem' as const, system })),
      ]);
      names.push(...systems.map((s) => s.name));
      for (let g = 0; g < 30; g++) {
        const term = `client word ${e}-${g}`;
        addGlossaryEntry(doc, { term, kind: 'client', meaning: 'x' });
        names.push(term);
      }
      for (let l = 0; l < LESSONS / ENGAGEMENTS; l++) {
        const id = addLesson(doc, {
          title: `${pick(names)}: ${sentence(names, 6)}`.slice(0, 180),
          skillArea: pick(DEFAULT_SKILL_AREAS),
          classification: 'UNCLASSIFIED',
          tags: [pick(VOCAB), `tag-${e}`],
          industry: pick(['Retail', 'Pharma', `${client} sector`]),
          context: sentence(names, 60),
          whatHappened: sentence(names, 90),
          rootCause: sentence(names, 60),
          whatWorked: sentence(names, 50),
          whatDidNot: sentence(names, 40),
          recommendation: sentence(names, 40),
          evidence: [
            {
              kind: 'system',
              engagementId: engagement.id,
              id: (systems[l % systems.length] as { id: string }).id,
              label: (systems[l % systems.length] as { name: string }).name,
            },
          ],
        });
        refs.push(lessonRef(engagement.id, id));
      }
    }
    const playbookId = newId();
    await notebook.docs.create(docIdFor('playbook', playbookId), (doc) => {
      initPlaybookDoc(doc, playbookId, 'Bench playbook', new Date().toISOString());
      for (let c = 0; c < 10; c++) {
        const chapter = addChapter(doc, `Chapter ${c} about ${pick(VOCAB)}`);
        for (let i = c; i < refs.length; i += 10) placeLesson(doc, chapter, refs[i] as string);
      }
    });
    await notebook.docs.flush();
    emit({
      figure: 'setup_s',
      lessons: refs.length,
      engagements: ENGAGEMENTS,
      seconds: round((performance.now() - started) / 1000),
      uptime: uptime(),
    });

    // The Chromium part of each PDF export, timed apart from the whole: from the prepared HTML to the
    // PDF (Chromium itself is started ahead, while the export is prepared, as in the app).
    const chromium = new ChromiumPdfPrinter();
    const printTimes: number[] = [];
    const timed =
      (print: (html: string) => Promise<Uint8Array>) =>
      async (html: string): Promise<Uint8Array> => {
        const started = performance.now();
        const bytes = await print(html);
        printTimes.push(performance.now() - started);
        return bytes;
      };
    const printer: PdfPrinter = {
      print: timed((html) => chromium.print(html)),
      start: () => {
        const job = chromium.start();
        return { print: timed((html) => job.print(html)), cancel: () => job.cancel() };
      },
    };
    const exports = new LessonExportService(
      notebook.db,
      notebook.docs,
      () => notebook.settings.classificationLevels,
      () => printer,
    );
    const selection = { playbookId };
    const first = await exports.prepare({ selection, format: 'html' });
    emit({
      figure: 'export_content',
      lessons: first.preview.lessons,
      dictionary_entries: (await exports.dictionary(selection)).entries.length,
      replacements: first.preview.replacements.reduce((n, r) => n + r.count, 0),
      findings: first.preview.findings.length,
      html_chars: first.prepared.files[0]?.content.length,
    });
    if (first.preview.findings.length)
      throw new Error(`The bench corpus should scan clean: ${JSON.stringify(first.preview.findings.slice(0, 3))}`);

    for (const format of (['md', 'html'] as const).filter((f) => FORMATS.includes(f))) {
      for (const sanitize of [true, false]) {
        const request: ExportRequest = { selection, format, sanitize };
        let bytes = 0;
        const t = await time(RUNS, async () => {
          bytes = (await exports.produce(request)).bytes.length;
        });
        emit({
          figure: `export_${format === 'md' ? 'md_zip' : 'html'}_${sanitize ? 'sanitized' : 'plain'}`,
          lessons: LESSONS,
          bytes,
          ...t,
        });
      }
    }
    let n = 0;
    for (const sanitize of FORMATS.includes('md') ? [true, false] : []) {
      const t = await time(RUNS, async () => exports.writeTo(path.join(dir, `folder-${n++}`), { selection, format: 'md', sanitize }));
      emit({ figure: `export_md_folder_${sanitize ? 'sanitized' : 'plain'}`, lessons: LESSONS, files: LESSONS + 1, ...t });
    }
    if (PDF) {
      for (const sanitize of [true, false]) {
        let bytes = 0;
        printTimes.length = 0;
        const t = await time(RUNS, async () => {
          bytes = (await exports.produce({ selection, format: 'pdf', sanitize })).bytes.length;
        });
        emit({ figure: `export_pdf_${sanitize ? 'sanitized' : 'plain'}`, lessons: LESSONS, bytes, ...t, ...summary(printTimes, 'print_') });
      }
    }
    emit({ figure: 'done', uptime: uptime() });
  } finally {
    await notebook.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
