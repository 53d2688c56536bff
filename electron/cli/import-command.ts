import path from 'node:path';
import { IMPORT_KINDS, type ImportKind, type ImportProgress, type ImportReport } from '../../shared/import/model';
import { UsageError } from './args';
import { plural, printResult } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { resolveEngagement } from './engagements-command';
import { formatBytes } from './output';

const IMPORT_USAGE = `Usage:
  outpost import obsidian|markdown|joplin|enex PATH (--engagement X | --new-engagement CODENAME)
      [--folders tags|engagements] [--dry-run] [--overwrite] [--skip-invalid] [--json]
PATH: an Obsidian vault or a folder of Markdown files; a Joplin export (.jex) or its RAW folder;
an Evernote export (.enex). X: the engagement's id or codename.
  --folders        what sub-folders become: tags on the notes (default), or engagements of their own
  --dry-run        read and convert everything, print what would happen, write nothing
  --overwrite      also replace notes edited in Outpost since the last import of this source
  --skip-invalid   import the notes that convert, leaving out files with errors (reported)
Importing the same source again updates the notes it wrote instead of adding copies.
Progress goes to standard error; the report to standard output.
`;

const FLAGS = {
  engagement: { type: 'string' },
  'new-engagement': { type: 'string' },
  folders: { type: 'string' },
  'dry-run': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'skip-invalid': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;
const KIND_ARGS = {
  flags: FLAGS,
  positionals: { min: 1, max: 1, names: 'PATH' },
  choices: { folders: ['tags', 'engagements'] },
} as const;
const SUBCOMMANDS = Object.fromEntries(IMPORT_KINDS.map((kind) => [kind, KIND_ARGS])) as Record<
  ImportKind,
  typeof KIND_ARGS
> satisfies Subcommands;

const PHASE_LABELS: Record<ImportProgress['phase'], string> = {
  reading: 'files read',
  converting: 'notes converted',
  writing: 'notes written',
  indexing: 'notes indexed for search',
  done: 'done',
};

/** `outpost import obsidian ~/vault --engagement HERON`: notes from other tools, all or nothing. */
export const importCommand = defineCommand({
  name: 'import',
  summary: 'obsidian|markdown|joplin|enex: bring notes in from other tools (repeatable)',
  usage: IMPORT_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub: kind, rest } = pickSub('import', IMPORT_USAGE, SUBCOMMANDS, args);
    const { values, positionals } = parseSub(SUBCOMMANDS, kind, rest);
    if ((values.engagement === undefined) === (values['new-engagement'] === undefined))
      throw new UsageError('Name one engagement: --engagement X (an existing one) or --new-engagement CODENAME');
    // The path is the user's, relative to where they typed it, not to the app that may run the import.
    const source = path.resolve(positionals[0] as string);
    const runId = `cli-${process.pid}-${Date.now()}`;
    let last = '';
    const stop = api.on('import.progress', (event) => {
      if (event.runId !== runId || event.phase === 'done') return;
      const line = `${PHASE_LABELS[event.phase]}: ${event.done}${event.total ? ` of ${event.total}` : ''}`;
      if (line !== last) io.stderr(`${line}\n`);
      last = line;
    });
    try {
      const request = {
        kind,
        path: source,
        ...(values.engagement !== undefined && { engagementId: await resolveEngagement(api, values.engagement) }),
        ...(values['new-engagement'] !== undefined && { newEngagement: values['new-engagement'] }),
        folders: (values.folders ?? 'tags') as 'tags' | 'engagements',
        overwrite: values.overwrite ?? false,
        skipInvalid: values['skip-invalid'] ?? false,
        runId,
      };
      const report = await api.call(values['dry-run'] ? 'import.preview' : 'import.run', request);
      printResult(io, values.json, report, () => describeReport(report));
      return 0;
    } finally {
      stop();
    }
  },
});

/** The report as a person reads it: what happened in all, then each file that needs a look. */
export function describeReport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Would import' : 'Imported'} ${plural(report.notes, 'note')} from ${report.source}: ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged` +
      (report.edited ? `, ${report.edited} edited in Outpost and left alone (--overwrite replaces them)` : '') +
      (report.skipped ? `, ${report.skipped} not imported` : ''),
    `${plural(report.links, 'link')} (${report.unresolvedLinks} unresolved, kept as text), ${plural(report.attachments, 'attachment')} (${formatBytes(report.attachmentBytes)})`,
  ];
  if (report.newEngagements.length) lines.push(`New engagements: ${report.newEngagements.join(', ')}`);
  for (const file of report.files) {
    const flagged = file.action === 'edited' || file.action === 'skip' || file.issues.length > 0;
    if (!flagged) continue;
    const action = { create: 'new', update: 'updated', unchanged: 'unchanged', edited: 'edited here, left alone', skip: 'not imported' }[
      file.action
    ];
    lines.push(`  ${file.path} (${action})`);
    for (const issue of file.issues) lines.push(`    ${issue.severity}: ${issue.message}`);
  }
  if (report.errors || report.warnings) lines.push(`${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}
