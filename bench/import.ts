/**
 * Importing an Obsidian vault: a generated vault of BENCH_IMPORT_NOTES notes (default 5,000,
 * ≈ 25 MB of Markdown from bench/corpus.ts, two [[wiki links]] each, 500 embedded images), imported
 * into a fresh notebook through the import service until every note is searchable (the service
 * returns once the search index has caught up). Figures: total time (target ≤ 60 s), notes/s, peak
 * memory, and, in the same run, the baseline: a plain loop over the same files of Markdown parsing
 * + building the note's Y.Doc + Y.applyUpdate into a fresh doc (no database at all).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { ImportService } from '../electron/import/import-service';
import { Notebook } from '../electron/notebook/notebook';
import { noteBody } from '../shared/notes/doc';
import { markdownToNoteJSON } from '../shared/notes/markdown';
import { noteSchema } from '../shared/notes/schema';
import { engagementSpecs, generateNote } from './corpus';

const NOTES = Number(process.env.BENCH_IMPORT_NOTES ?? 5_000);
const IMAGES = Math.round(NOTES / 10);
const emit = (record: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: 'import', ...record, load: os.loadavg().map((l) => Math.round(l * 100) / 100) })}\n`);
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** A vault on disk: notes in a few folders, each linking two others, every tenth embedding an image. */
function writeVault(root: string): { bytes: number; files: string[]; lastWord: string } {
  const specs = engagementSpecs(8);
  const names = Array.from({ length: NOTES }, (_, i) => `note-${String(i).padStart(5, '0')}`);
  const files: string[] = [];
  let bytes = 0;
  fs.mkdirSync(path.join(root, '.obsidian'), { recursive: true });
  fs.writeFileSync(path.join(root, '.obsidian', 'app.json'), '{}');
  for (let i = 0; i < NOTES; i++) {
    const note = generateNote(i, specs);
    const folder = `area-${i % 12}`;
    const links = `\n\nSee [[${names[(i * 7 + 1) % NOTES]}]] and [[${names[(i * 13 + 5) % NOTES]}|the related note]].\n`;
    const image = i % 10 === 0 ? `\n![[image-${i / 10}.png]]\n` : '';
    const markdown = `---\ntitle: ${JSON.stringify(note.title)}\ntags: [${note.tags.map((t) => JSON.stringify(t)).join(', ')}]\n---\n${note.markdown}${links}${image}${i === NOTES - 1 ? '\nzyxwvutsrq\n' : ''}`;
    const file = path.join(root, folder, `${names[i]}.md`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, markdown);
    files.push(file);
    bytes += Buffer.byteLength(markdown);
  }
  for (let i = 0; i < IMAGES; i++) {
    // Distinct bytes per image (each is its own attachment), about 8 KB.
    const data = Buffer.alloc(8192, i % 251);
    data.writeUInt32BE(i, 0);
    fs.writeFileSync(path.join(root, `image-${i}.png`), data);
    bytes += data.length;
  }
  return { bytes, files, lastWord: 'zyxwvutsrq' };
}

/** The baseline: what any importer must do per note, without storing anything. */
function baseline(files: string[]): number {
  const started = performance.now();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    const built = new Y.Doc();
    prosemirrorJSONToYXmlFragment(noteSchema(), markdownToNoteJSON(text), noteBody(built));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(built));
    built.destroy();
    copy.destroy();
  }
  return performance.now() - started;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'outpost-bench-import-'));
try {
  const vault = writeVault(path.join(work, 'vault'));
  emit({ figure: 'vault', notes: NOTES, images: IMAGES, mb: mb(vault.bytes) });

  const baselineMs = baseline(vault.files);
  emit({
    figure: 'baseline_parse_and_apply',
    notes: NOTES,
    ms: Math.round(baselineMs),
    notes_per_s: Math.round(NOTES / (baselineMs / 1000)),
  });

  const nb = await Notebook.open(path.join(work, 'notebook'), { kind: 'bench' });
  const engagement = await nb.engagements.create({ client: 'Bench', codename: 'VAULT', ceiling: 'SECRET' });
  const service = new ImportService(nb.db, nb.docs, nb.attachments, nb.settings, () => nb.device);
  const phases: Record<string, number> = {};
  const started = performance.now();
  const report = await service.run(
    {
      kind: 'obsidian',
      path: path.join(work, 'vault'),
      engagementId: engagement.id,
      folders: 'tags',
      overwrite: false,
      dryRun: false,
      skipInvalid: false,
    },
    (p) => {
      phases[p.phase] ??= Math.round(performance.now() - started);
    },
  );
  const totalMs = performance.now() - started;
  const found = await nb.notes.search('zyxwvutsrq');
  if (report.created !== NOTES || found.length !== 1) throw new Error(`import incomplete: ${report.created} notes, ${found.length} found`);
  emit({
    figure: 'import_until_searchable',
    notes: NOTES,
    ms: Math.round(totalMs),
    target_ms: 60_000,
    notes_per_s: Math.round(NOTES / (totalMs / 1000)),
    ratio_to_baseline: Math.round((totalMs / baselineMs) * 10) / 10,
    links: report.links,
    attachments: report.attachments,
    phase_start_ms: phases,
    peak_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
  });
  await nb.close();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
