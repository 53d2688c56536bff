import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import type { ExportPreview, ExportRequest, ExportSelection } from '../../shared/lessons/export-calls';
import type { ExportFormat } from '../../shared/lessons/export-format';
import { lessonRefSchema } from '../../shared/lessons/model';
import { exportRefusal, FINDING_KIND_LABELS, type RedactionOverride } from '../../shared/lessons/redaction';
import { type parseCommand, UsageError } from './args';
import type { CliApi } from './cli-api';
import { engagementFlag, plural } from './command-helpers';
import { type CliIO, formatError, formatTable, json } from './output';
import { readDownload, writeDownload } from './transfers';

export const LESSONS_EXPORT_USAGE = `Usage:
  outpost lessons export [--sanitize] --format md|html|pdf -o PATH
                         [--playbook ID | --engagement X | --ref ENGAGEMENT:LESSON ...]
                         [--max-classification LEVEL] [--allow TEXT ...] [--replace TEXT=PSEUDONYM ...]
                         [--date YYYY-MM-DD] [--dry-run] [--json]
Without --playbook, --engagement or --ref every lesson of the notebook (merged ones followed to the
survivor) is exported. md writes a folder (index.md + one file per lesson; PATH must be new or
empty); html and pdf write one file. --max-classification defaults to the notebook's lowest level.
With --sanitize, names are replaced by pseudonyms and the export is refused while the final check
still finds identifiers: replace each (--replace, remembered in the notebook's redaction
dictionary) or allow it (--allow, this run only). PDF needs Chromium (/usr/bin/chromium, or
$OUTPOST_CHROMIUM).
`;

export const LESSONS_EXPORT_FLAGS = {
  sanitize: { type: 'boolean' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  playbook: { type: 'string' },
  engagement: { type: 'string' },
  ref: { type: 'string', multiple: true },
  'max-classification': { type: 'string' },
  allow: { type: 'string', multiple: true },
  replace: { type: 'string', multiple: true },
  date: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type ExportValues = ReturnType<typeof parseCommand<typeof LESSONS_EXPORT_FLAGS>>['values'];

/** What the export holds: a playbook, chosen refs, or every lesson of an engagement or of the notebook. */
async function selectionFrom(api: CliApi, values: ExportValues): Promise<ExportSelection> {
  const chosen = [values.playbook !== undefined, values.engagement !== undefined, (values.ref ?? []).length > 0].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('Give one of --playbook, --engagement or --ref');
  if (values.playbook !== undefined) return { playbookId: values.playbook.trim() };
  if (values.ref?.length) {
    for (const ref of values.ref)
      if (!lessonRefSchema.safeParse(ref).success) throw new UsageError(`--ref "${ref}" is not ENGAGEMENT:LESSON (two ids)`);
    return { refs: values.ref };
  }
  const engagementId = values.engagement !== undefined ? await engagementFlag(api, values.engagement) : undefined;
  const { refs } = await api.call('lessons.refs', { ...(engagementId && { engagementId }) });
  if (!refs.length)
    throw new OutpostError('not_found', engagementId ? 'This engagement has no lessons yet' : 'This notebook has no lessons yet');
  return { refs };
}

function replacementsFrom(values: ExportValues): RedactionOverride[] {
  return (values.replace ?? []).map((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw new UsageError(`--replace "${item}" is TEXT=PSEUDONYM`);
    return { term: item.slice(0, at).trim(), replacement: item.slice(at + 1).trim() };
  });
}

/**
 * `outpost lessons export`: the preview (what is left out, every replacement) on standard output,
 * the final scan's findings on standard error (exit 1, nothing written), else the export, made by
 * the notebook and written here: one file, or the Markdown folder unpacked from its .zip.
 */
export async function lessonsExport(api: CliApi, values: ExportValues, io: CliIO): Promise<number> {
  const format = values.format?.trim().toLowerCase();
  if (!format) throw new UsageError('Missing --format md|html|pdf');
  // The export's renderers load only for an export (not at every command's start).
  const { EXPORT_FORMATS } = await import('../../shared/lessons/export-format');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError('--format is md, html or pdf');
  const dryRun = values['dry-run'] === true;
  if (!values.output && !dryRun) throw new UsageError('Missing -o PATH (or --dry-run)');
  const selection = await selectionFrom(api, values);
  const overrides = replacementsFrom(values);
  if (overrides.length) await api.call('lessons.addRedactionOverrides', { overrides });
  const request: ExportRequest = {
    selection,
    format: format as ExportFormat,
    sanitize: values.sanitize === true,
    ...(values['max-classification'] !== undefined && { maxClassification: values['max-classification'].trim().toUpperCase() }),
    allow: values.allow ?? [],
    ...(values.date !== undefined && { date: values.date }),
  };
  const preview = await api.call('lessons.exportPreview', request);
  if (values.json) io.stdout(json(preview));
  else report(preview, io);
  if (preview.findings.length) {
    io.stderr(formatError(exportRefusal(preview.findings).toInfo()));
    io.stderr(
      `\n${findingsText(preview.findings)}\nReplace each with --replace "TEXT=PSEUDONYM" (remembered) or allow it with --allow "TEXT" (this run only).\n`,
    );
    return 1;
  }
  if (dryRun) {
    if (!values.json) io.stdout(`Dry run: nothing written. ${plural(preview.files.length, 'file')} would be written.\n`);
    return 0;
  }
  const target = values.output as string;
  const absolute = checkTarget(target, format as ExportFormat);
  const download = await api.call('lessons.exportDownload', request);
  if (format === 'md') {
    const files = await writeFolder(absolute, await readDownload(api, download.token));
    if (!values.json) io.stdout(`Wrote the folder ${target} (${files} files)\n`);
  } else {
    await writeDownload(api, download.token, absolute, 0o644);
    if (!values.json) io.stdout(`Wrote ${target}\n`);
  }
  return 0;
}

/** Where the export goes: a new or empty folder for Markdown, a file name otherwise, in a folder that exists. */
function checkTarget(target: string, format: ExportFormat): string {
  const absolute = path.resolve(target);
  const existing = fs.statSync(absolute, { throwIfNoEntry: false });
  if (format === 'md') {
    if (existing && !existing.isDirectory()) throw new OutpostError('conflict', `${absolute} exists and is not a folder`);
    if (existing && fs.readdirSync(absolute).length)
      throw new OutpostError('conflict', `${absolute} is not empty; give a new or empty folder for the Markdown export`);
  } else if (existing?.isDirectory()) {
    throw new OutpostError('conflict', `${absolute} is a folder; give a file name for the ${format.toUpperCase()} export`);
  }
  const parent = path.dirname(absolute);
  if (!fs.existsSync(parent)) throw new OutpostError('not_found', `The folder ${parent} does not exist`);
  return absolute;
}

/**
 * The Markdown folder, unpacked from the export's .zip (one folder of plain files): built in a
 * temporary folder beside `target`, then renamed into place, so a failure leaves nothing half-written.
 */
async function writeFolder(target: string, zip: Uint8Array): Promise<number> {
  const { unzipSync } = await import('fflate');
  const entries = Object.entries(unzipSync(zip));
  const files = entries.map(([name, bytes]) => {
    const inside = name.slice(name.indexOf('/') + 1);
    if (!name.includes('/') || !inside || inside === '.' || inside === '..' || /[/\\]/.test(inside))
      throw new OutpostError('internal', `The export holds an unexpected entry ${JSON.stringify(name)}; nothing was written`);
    return { name: inside, bytes };
  });
  const parent = path.dirname(target);
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const file of files) {
      const fd = fs.openSync(path.join(tmp, file.name), 'wx', 0o644);
      try {
        fs.writeFileSync(fd, file.bytes);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    fs.chmodSync(tmp, 0o755);
    if (fs.existsSync(target)) fs.rmdirSync(target);
    fs.renameSync(tmp, target);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  return files.length;
}

function report(preview: ExportPreview, io: CliIO): void {
  io.stdout(
    `${preview.sanitized ? 'Sanitized export' : 'Export'} of "${preview.title}": ${preview.lessons} lesson${preview.lessons === 1 ? '' : 's'}` +
      `${preview.chapters > 1 ? ` in ${preview.chapters} chapters` : ''}, up to ${preview.cap}.\n`,
  );
  if (preview.leftOut.length) {
    io.stdout(`Left out, above ${preview.cap}: ${preview.leftOut.length} lesson${preview.leftOut.length === 1 ? '' : 's'}\n`);
    for (const l of preview.leftOut) io.stdout(`  - ${l.title} (${l.classification})\n`);
  }
  if (preview.missing) io.stdout(`Not found (deleted or not in this notebook): ${preview.missing}\n`);
  if (preview.withheldEvidence) io.stdout(`Evidence links shown as withheld: ${preview.withheldEvidence}\n`);
  if (preview.sanitized) {
    if (preview.replacements.length) {
      io.stdout('Replacements:\n');
      io.stdout(
        formatTable(
          ['TERM', 'REPLACED BY', 'KIND', 'COUNT'],
          preview.replacements.map((r) => [r.term, r.replacement, r.category, String(r.count)]),
        ),
      );
    } else io.stdout('Replacements: none\n');
  }
}

function findingsText(findings: ExportPreview['findings']): string {
  return formatTable(
    ['FOUND', 'KIND', 'COUNT', 'CONTEXT'],
    findings.map((f) => [f.text, FINDING_KIND_LABELS[f.kind], String(f.count), f.context]),
  );
}
