/**
 * The debugging kit: error signatures and "seen before".
 * - extraction: 1 MB of logs and traces from the generated corpus (test/shared/debugging/corpus.ts),
 *   pasted as blocks of about 10 KB, through `extractSignatures` (kind detection, masking, Drain,
 *   MinHash bands): ms per MB;
 * - lookup: BENCH_SIGNATURES (default 100,000) signatures in a notebook's error_signatures (2,000
 *   notes × 50, varied templates, exception types and frames), then `SeenBefore.lookup` for 200
 *   texts of every corpus kind with fresh variables and reworded messages: p50/p95 (target p95
 *   ≤ 20 ms); baseline in the same run: a naive scan (every row's words read and compared in
 *   process) for 10 of the same texts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SeenBefore } from '../electron/debugging/seen-before';
import { Notebook } from '../electron/notebook/notebook';
import { extractSignatures } from '../shared/debugging/signatures';
import { jaccard, minhashBands, templateTokens } from '../shared/debugging/similarity';
import { sha256Hex } from '../shared/sync/bundle-crypto';
import * as corpus from '../test/shared/debugging/corpus';

const SIGNATURES = Number(process.env.BENCH_SIGNATURES ?? 100_000);
const PER_NOTE = 50;
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'debugging', ...record, load: os.loadavg().map((l) => Math.round(l * 100) / 100) })}\n`);
const percentile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
const round = (n: number) => Math.round(n * 100) / 100;

const generators = Object.entries(corpus).filter(
  (e): e is [string, (v: corpus.Vars) => string] => typeof e[1] === 'function' && e[0] !== 'vars',
);
const text = (i: number) => (generators[i % generators.length] as [string, (v: corpus.Vars) => string])[1](corpus.vars(i));

// --- extraction per MB ---------------------------------------------------------------------------
const blocks: string[] = [];
let bytes = 0;
for (let i = 0; bytes < 1024 * 1024; i++) {
  let block = '';
  while (block.length < 10_000) block += `${text(i * 31 + block.length)}\n`;
  blocks.push(block);
  bytes += Buffer.byteLength(block);
}
const runs: number[] = [];
let found = 0;
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  found = 0;
  for (const block of blocks) found += extractSignatures(block).length;
  runs.push(performance.now() - started);
}
emit({
  figure: 'extract_per_mb',
  mb: round(bytes / 1024 / 1024),
  blocks: blocks.length,
  signatures: found,
  median_ms: round(percentile(runs, 0.5)),
});

// --- seen before over many signatures --------------------------------------------------------------
const VOCAB =
  'order invoice pallet scanner printer queue batch socket session ledger route carrier dock wave picker label tote shipment manifest stock'.split(
    ' ',
  );
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-debugging-'));
try {
  const nb = await Notebook.open(path.join(work, 'notebook'), { kind: 'bench' });
  const engagement = await nb.engagements.create({ client: 'Bench', codename: 'TRACE', ceiling: 'SECRET' });
  const notes = Math.ceil(SIGNATURES / PER_NOTE);
  // Notes and their signature rows written straight to the tables: the lookup is what is measured.
  for (let start = 0; start < notes; start += 500) {
    const ids = Array.from(
      { length: Math.min(500, notes - start) },
      (_, k) => `00000000-0000-4000-8000-${String(start + k).padStart(12, '0')}`,
    );
    await nb.db.query(`INSERT INTO docs (doc_id, kind) SELECT 'note:' || id, 'note' FROM unnest($1::text[]) AS id`, [ids]);
    await nb.db.query(
      `INSERT INTO notes (id, doc_id, engagement_id, title, type, classification, tags, pinned, author_id, author_name, created_at, updated_at, words, body)
       SELECT id::uuid, 'note:' || id, $2::uuid, 'Incident ' || id, 'incident', 'UNCLASSIFIED', '{}', false, 'bench', 'bench', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 0, ''
       FROM unnest($1::text[]) AS id`,
      [ids, engagement.id],
    );
    const rows = ids.flatMap((id, k) =>
      Array.from({ length: PER_NOTE }, (_, j) => {
        const i = (start + k) * PER_NOTE + j;
        const words = [VOCAB[i % VOCAB.length], VOCAB[(i * 7) % VOCAB.length], VOCAB[(i * 13) % VOCAB.length], `code${i % 997}`];
        const template = `${words.join(' ')} failed for <NUM> on <HOST> after <NUM> ms`;
        const exceptionType = `com.client${i % 50}.${VOCAB[(i * 3) % VOCAB.length]}Exception`;
        const frames = [`com.client${i % 50}.Svc${i % 211}.run`, `com.client${i % 50}.Job${i % 97}.execute`];
        const tokens = templateTokens(template, exceptionType);
        return {
          doc_id: `note:${id}`,
          note_id: id,
          engagement_id: engagement.id,
          block_index: j,
          ordinal: 0,
          kind: 'java-trace',
          template_id: sha256Hex(new TextEncoder().encode(`${exceptionType}|${template}|${frames.join('|')}`)),
          template,
          exception_type: exceptionType,
          frames,
          frames_key: sha256Hex(new TextEncoder().encode(`${exceptionType}|${frames.join('|')}`)),
          tokens,
          bands: minhashBands(tokens),
          lines: 1,
          classification: 'UNCLASSIFIED',
          resolution: '',
          created_at: '2026-01-01T00:00:00.000Z',
          updated_at: '2026-01-01T00:00:00.000Z',
        };
      }),
    );
    await nb.db.query(`INSERT INTO error_signatures SELECT * FROM jsonb_populate_recordset(NULL::error_signatures, $1::jsonb)`, [
      JSON.stringify(rows),
    ]);
  }
  // A few real notes of every corpus kind, so lookups also find something.
  await nb.notes.createMany(
    generators.map(([name, make], i) => ({
      engagementId: engagement.id,
      type: 'incident' as const,
      title: `Met before: ${name}`,
      markdown: `\`\`\`\n${make(corpus.vars(i + 1))}\n\`\`\`\n`,
    })),
  );
  await nb.docs.flush();
  await nb.db.exec('ANALYZE error_signatures');
  const total = Number((await nb.db.query<{ n: string }>('SELECT count(*)::text AS n FROM error_signatures')).rows[0]?.n);

  const seen = new SeenBefore(nb.db, () => nb.settings.classificationLevels);
  const queries = Array.from({ length: 200 }, (_, i) =>
    i % 2 ? text(i + 500) : text(i + 500).replace(/timed out|failed|refused/, 'stopped answering'),
  );
  const times: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const started = performance.now();
    const result = await seen.lookup({ text: q, engagementId: engagement.id, limit: 20 });
    times.push(performance.now() - started);
    if (result.matches.length) hits++;
  }
  emit({
    figure: 'seen_before_lookup',
    signatures: total,
    lookups: queries.length,
    with_matches: hits,
    p50_ms: round(percentile(times, 0.5)),
    p95_ms: round(percentile(times, 0.95)),
    target_p95_ms: 20,
  });

  const naive: number[] = [];
  for (const q of queries.slice(0, 10)) {
    const started = performance.now();
    const wanted = extractSignatures(q);
    const all = await nb.db.query<{ note_id: string; tokens: string[] }>('SELECT note_id::text AS note_id, tokens FROM error_signatures');
    const matched = new Set(all.rows.filter((r) => wanted.some((s) => jaccard(s.tokens, r.tokens) >= 0.5)).map((r) => r.note_id));
    naive.push(performance.now() - started + matched.size * 0);
  }
  emit({
    figure: 'baseline_naive_scan',
    signatures: total,
    lookups: naive.length,
    p50_ms: round(percentile(naive, 0.5)),
    p95_ms: round(percentile(naive, 0.95)),
  });
  await nb.close();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
