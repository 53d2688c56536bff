/**
 * `npm run bench` (third part): sync bundles for a generated two-week engagement, as JSON lines.
 *
 * BENCH_SYNC_NOTES notes (default 5,000) written with BENCH_SYNC_EDITS edits in all (default
 * 200,000: separate Yjs transactions inserting and deleting text, as typing leaves them) and an
 * engagement document holding 1,000 systems. Then:
 * - bundle_export: a full export of the engagement (team key), its size and expanded size;
 * - bundle_import: importing it into an empty notebook (verify, decrypt, inflate, merge every
 *   document in scratch, one transaction) until it is committed, then until the projections
 *   (lists, search) have caught up in the background, with peak memory sampled meanwhile;
 * - yjs_floor: the same documents through raw Yjs in the same run — encodeStateAsUpdate sizes and
 *   applyUpdate into fresh docs — the floor the targets are measured against.
 * Targets from the issue: import ≤ 2× the raw apply time, bundle ≤ 0.6× the raw update size,
 * peak memory during import ≤ 2× the bundle's expanded size.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as Y from 'yjs';
import { Notebook } from '../electron/notebook/notebook';
import { docIdFor, newId } from '../shared/ids';
import { initNoteDoc } from '../shared/notes/doc';
import { markdownToNoteJSON } from '../shared/notes/markdown';
import type { BundleSecret } from '../shared/sync/bundle-format';
import { typingEdit as edit, engagementSpecs, generateNote, mulberry32 } from './corpus';

const NOTES = Number(process.env.BENCH_SYNC_NOTES ?? 5_000);
const EDITS = Number(process.env.BENCH_SYNC_EDITS ?? 200_000);
const SYSTEMS = 1_000;
const BATCH = 250;
const SECRET: BundleSecret = { kind: 'team-key', key: new Uint8Array(32).fill(42) };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const emit = (record: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(record)}\n`);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

async function seed(nb: Notebook): Promise<{ engagementId: string; docIds: string[] }> {
  const started = performance.now();
  const spec = engagementSpecs(1)[0];
  if (!spec) throw new Error('no engagement spec');
  const engagement = await nb.engagements.create({
    client: spec.client,
    codename: spec.codename,
    site: spec.site,
    ceiling: 'SECRET',
    status: 'active',
  });
  const engagementDoc = await nb.docs.open(docIdFor('engagement', engagement.id));
  const rng = mulberry32(11);
  const kinds = ['application', 'database', 'api', 'message-queue', 'file-drop', 'model-service', 'data-pipeline', 'device'];
  engagementDoc.transact(() => {
    const systems = engagementDoc.getMap<Y.Map<unknown>>('systems');
    for (let i = 0; i < SYSTEMS; i++) {
      const system = new Y.Map<unknown>();
      systems.set(newId(), system);
      system.set('name', `${kinds[i % kinds.length]}-${i}`);
      system.set('kind', kinds[i % kinds.length]);
      system.set('vendor', ['SAP', 'Oracle', 'Manhattan', 'Siemens', 'in-house'][i % 5]);
      system.set('zone', ['corporate LAN', 'DMZ', 'OT', 'enclave', 'cloud'][i % 5]);
      system.set('status', ['healthy', 'degraded', 'broken', 'planned'][Math.floor(rng() * 4)]);
      system.set('notes', `Owned by team ${i % 17}; patched quarterly.`);
    }
  });
  const docIds: string[] = [docIdFor('engagement', engagement.id)];
  const specs = engagementSpecs(1);
  const editsPerNote = Math.floor(EDITS / NOTES);
  let edits = 0;
  for (let start = 0; start < NOTES; start += BATCH) {
    const batch = [];
    for (let i = start; i < Math.min(NOTES, start + BATCH); i++) {
      const note = generateNote(i, specs);
      const id = newId();
      docIds.push(docIdFor('note', id));
      batch.push({
        docId: docIdFor('note', id),
        init: (doc: Y.Doc) => {
          initNoteDoc(
            doc,
            {
              id,
              engagementId: engagement.id,
              title: note.title,
              type: note.type,
              classification: 'CUI',
              tags: note.tags,
              pinned: false,
              createdAt: new Date().toISOString(),
              authorId: nb.device.deviceId,
              authorName: nb.device.name,
            },
            markdownToNoteJSON(note.markdown),
          );
          const noteRng = mulberry32(1000 + i);
          for (let e = 0; e < editsPerNote; e++) edit(doc, noteRng);
          edits += editsPerNote;
        },
      });
    }
    await nb.docs.createMany(batch);
  }
  await nb.docs.flush();
  emit({ bench: 'sync_seed', notes: NOTES, edits, systems: SYSTEMS, total_ms: Math.round(performance.now() - started) });
  return { engagementId: engagement.id, docIds };
}

async function yjsFloor(nb: Notebook, docIds: string[]) {
  const updates: Uint8Array[] = [];
  for (const docId of docIds) {
    const doc = await nb.docs.currentCopy(docId);
    if (!doc) continue;
    updates.push(Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }
  gc();
  const runs: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    for (const update of updates) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, update);
      doc.destroy();
    }
    runs.push(performance.now() - started);
  }
  const bytes = updates.reduce((sum, u) => sum + u.length, 0);
  const applyMs = Math.min(...runs);
  emit({
    bench: 'yjs_floor',
    docs: updates.length,
    raw_update_mb: mb(bytes),
    apply_ms: Math.round(applyMs),
    apply_runs_ms: runs.map(Math.round),
  });
  return { bytes, applyMs };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-sync-'));
let a: Notebook | null = null;
let b: Notebook | null = null;
try {
  a = await Notebook.open(path.join(work, 'a'), { kind: 'bench' });
  const { engagementId, docIds } = await seed(a);
  const floor = await yjsFloor(a, docIds);

  const exportStart = performance.now();
  const exported = await a.bundles.export({
    engagementIds: [engagementId],
    delta: { kind: 'full' },
    secret: SECRET,
    fileName: 'bench.outpost',
  });
  const exportMs = performance.now() - exportStart;
  emit({
    bench: 'bundle_export',
    docs: exported.docs,
    total_ms: Math.round(exportMs),
    bundle_mb: mb(exported.bytes.length),
    expanded_mb: mb(exported.header.expandedBytes),
    bundle_vs_raw_updates: ratio(exported.bytes.length, floor.bytes),
    target_ratio: 0.6,
  });
  const bundle = exported.bytes;
  // For profiling an import on its own: BENCH_SYNC_SAVE=FILE keeps the bundle.
  if (process.env.BENCH_SYNC_SAVE) fs.writeFileSync(process.env.BENCH_SYNC_SAVE, bundle);
  await a.close();
  a = null;

  b = await Notebook.open(path.join(work, 'b'), { kind: 'bench' });
  gc();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const importStart = performance.now();
  const report = await b.bundles.import(bundle, SECRET, { trustSender: true, fileName: 'bench.outpost' });
  const importMs = performance.now() - importStart;
  const peakAtCommit = Math.max(peak, process.memoryUsage().rss);
  peak = peakAtCommit;
  // Lists and search catch up after the commit (the projection backlog): measured separately.
  await b.docs.flush();
  const caughtUpMs = performance.now() - importStart;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const peakGrowth = peakAtCommit - rssBefore;
  emit({
    bench: 'bundle_import',
    docs: report.docs.length,
    changed: report.docs.filter((d) => d.changed).length,
    total_ms: Math.round(importMs),
    raw_apply_ms: Math.round(floor.applyMs),
    vs_raw_apply: ratio(importMs, floor.applyMs),
    target_vs_raw_apply: 2,
    projections_caught_up_ms: Math.round(caughtUpMs),
    peak_rss_growth_mb: mb(peakGrowth),
    peak_rss_growth_until_caught_up_mb: mb(peak - rssBefore),
    expanded_mb: mb(exported.header.expandedBytes),
    peak_vs_expanded: ratio(peakGrowth, exported.header.expandedBytes),
    target_peak_vs_expanded: 2,
  });
} finally {
  await a?.close().catch(() => {});
  await b?.close().catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
}
