import { OutpostError } from '../../shared/errors';
import { docIdFor } from '../../shared/ids';
import { readLessons } from '../../shared/lessons/doc';
import type { ExportSelection } from '../../shared/lessons/export-calls';
import { EXPORT_FORMATS, type ExportFormat } from '../../shared/lessons/export-format';
import { lessonRef, lessonRefSchema } from '../../shared/lessons/model';
import { FINDING_KIND_LABELS, type RedactionOverride } from '../../shared/lessons/redaction';
import { type ExportOutcome, LessonExportService, refusal } from '../lessons/lesson-export';
import type { Notebook } from '../notebook/notebook';
import { ChromiumPdfPrinter } from '../stakeholders/pdf-printer';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatError, formatTable, json } from './output';

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

async function allLessons(notebook: Notebook, engagementId?: string): Promise<string[]> {
  const ids = engagementId ? [engagementId] : (await notebook.engagements.list({ includeArchived: true })).map((e) => e.id);
  const refs: string[] = [];
  for (const id of ids) {
    const doc = await notebook.docs.open(docIdFor('engagement', id));
    for (const lesson of readLessons(doc, id).lessons) if (!lesson.mergedInto) refs.push(lessonRef(id, lesson.id));
  }
  return refs;
}

function report(outcome: ExportOutcome, io: CliIO): void {
  const { preview } = outcome;
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

function findingsText(outcome: ExportOutcome): string {
  const { findings } = outcome.prepared;
  return formatTable(
    ['FOUND', 'KIND', 'COUNT', 'CONTEXT'],
    findings.map((f) => [f.text, FINDING_KIND_LABELS[f.kind], String(f.count), f.context]),
  );
}

export async function lessonsExportCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  if (args[0] === '--help' || args[0] === '-h') {
    io.stdout(LESSONS_EXPORT_USAGE);
    return 0;
  }
  const { values } = parseCommand(
    args,
    {
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
    },
    { min: 0, max: 0, names: '' },
  );
  const format = values.format?.trim().toLowerCase();
  if (!format) throw new UsageError('Missing --format md|html|pdf');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError('--format is md, html or pdf');
  const dryRun = values['dry-run'] === true;
  if (!values.output && !dryRun) throw new UsageError('Missing -o PATH (or --dry-run)');
  const chosen = [values.playbook !== undefined, values.engagement !== undefined, (values.ref ?? []).length > 0].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('Give one of --playbook, --engagement or --ref');
  let selection: ExportSelection;
  if (values.playbook !== undefined) selection = { playbookId: values.playbook.trim() };
  else if (values.ref?.length) {
    for (const ref of values.ref)
      if (!lessonRefSchema.safeParse(ref).success) throw new UsageError(`--ref "${ref}" is not ENGAGEMENT:LESSON (two ids)`);
    selection = { refs: values.ref };
  } else {
    const refs = await allLessons(notebook, values.engagement ? await notebook.engagements.resolve(values.engagement) : undefined);
    if (!refs.length)
      throw new OutpostError('not_found', values.engagement ? 'This engagement has no lessons yet' : 'This notebook has no lessons yet');
    selection = { refs };
  }
  const replacements: RedactionOverride[] = (values.replace ?? []).map((item) => {
    const at = item.lastIndexOf('=');
    if (at <= 0 || at === item.length - 1) throw new UsageError(`--replace "${item}" is TEXT=PSEUDONYM`);
    return { term: item.slice(0, at).trim(), replacement: item.slice(at + 1).trim() };
  });
  const printer = new ChromiumPdfPrinter(io.env);
  const service = new LessonExportService(
    notebook.db,
    notebook.docs,
    () => notebook.settings.classificationLevels,
    () => printer,
  );
  if (replacements.length) await service.addOverrides(replacements);
  const request = {
    selection,
    format: format as ExportFormat,
    sanitize: values.sanitize === true,
    ...(values['max-classification'] !== undefined && { maxClassification: values['max-classification'].trim().toUpperCase() }),
    allow: values.allow ?? [],
    ...(values.date !== undefined && { date: values.date }),
  };
  const outcome = await service.prepare(request);
  if (values.json) io.stdout(json(outcome.preview));
  else report(outcome, io);
  if (outcome.prepared.findings.length) {
    io.stderr(formatError(refusal(outcome.prepared.findings).toInfo()));
    io.stderr(
      `\n${findingsText(outcome)}\nReplace each with --replace "TEXT=PSEUDONYM" (remembered) or allow it with --allow "TEXT" (this run only).\n`,
    );
    return 1;
  }
  if (dryRun) {
    if (!values.json)
      io.stdout(
        `Dry run: nothing written. ${outcome.preview.files.length} file${outcome.preview.files.length === 1 ? '' : 's'} would be written.\n`,
      );
    return 0;
  }
  const target = values.output as string;
  await service.writeTo(target, request, outcome);
  if (!values.json)
    io.stdout(format === 'md' ? `Wrote the folder ${target} (${outcome.prepared.files.length} files)\n` : `Wrote ${target}\n`);
  return 0;
}
