import fs from 'node:fs';
import path from 'node:path';
import { OutpostError } from '../../shared/errors';
import {
  NOTE_TYPE_LABELS,
  NOTE_TYPES,
  type NoteFilter,
  type NoteSummary,
  type NoteType,
  SNIPPET_START,
  SNIPPET_STOP,
} from '../../shared/notes/model';
import { writeFileAtomic } from '../notebook/atomic-write';
import type { Notebook } from '../notebook/notebook';
import { parseCommand, UsageError } from './args';
import { type CliIO, formatTable, json } from './output';

export const NOTES_USAGE = `Usage:
  outpost notes list [--engagement X] [--type T] [--tag TAG] [--classification L] [--sort updated|created|title] [--json]
  outpost notes show NOTE [--engagement X] [--json]      NOTE: the note's id or exact title
  outpost notes search "QUERY" [--engagement X] [--type T] [--tag TAG] [--classification L]
                               [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--json]
  outpost notes add --engagement X --type T --title TITLE [--tags a,b] [--classification L] --body-file F|-
  outpost notes export --engagement X --format md -o DIR [--force]
  outpost notes history NOTE [--engagement X] [--json]   versions: each editing session and each import
  outpost notes show NOTE --version N                    the note as of version N
  outpost notes diff NOTE --from N [--to M]              what changed between two versions (default: to now)
  outpost notes restore NOTE --version N                 bring back version N's title and body, as a new edit
Types: ${NOTE_TYPES.join(', ')}
`;

const FILTER_FLAGS = {
  engagement: { type: 'string' },
  type: { type: 'string' },
  tag: { type: 'string' },
  classification: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function noteType(value: string | undefined): NoteType | undefined {
  if (value === undefined) return undefined;
  if (!(NOTE_TYPES as readonly string[]).includes(value)) throw new UsageError(`--type is one of ${NOTE_TYPES.join(', ')}`);
  return value as NoteType;
}

async function filterFrom(
  notebook: Notebook,
  values: { engagement?: string; type?: string; tag?: string; classification?: string; from?: string; to?: string },
): Promise<NoteFilter> {
  const type = noteType(values.type);
  for (const flag of ['from', 'to'] as const) {
    const value = values[flag];
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${flag} takes a date as YYYY-MM-DD`);
  }
  return {
    ...(values.from !== undefined && { from: values.from }),
    ...(values.to !== undefined && { to: values.to }),
    ...(values.engagement !== undefined && { engagementId: await notebook.engagements.resolve(values.engagement) }),
    ...(type && { types: [type] }),
    ...(values.tag !== undefined && { tag: values.tag }),
    ...(values.classification !== undefined && { classification: values.classification }),
  };
}

function noteRows(notes: NoteSummary[]): string[][] {
  return notes.map((n) => [
    `${n.pinned ? '★ ' : ''}${n.title}`,
    NOTE_TYPE_LABELS[n.type],
    n.classification,
    n.tags.join(','),
    n.updatedAt.slice(0, 16).replace('T', ' '),
    n.id,
  ]);
}

export async function notesCommand(notebook: Notebook, args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  const notes = notebook.notes;
  switch (sub) {
    case 'list': {
      const { values } = parseCommand(rest, { ...FILTER_FLAGS, sort: { type: 'string' } }, { min: 0, max: 0, names: '' });
      const sort = values.sort ?? 'updated';
      if (!['updated', 'created', 'title'].includes(sort)) throw new UsageError('--sort is one of updated, created, title');
      const result = await notes.list({ ...(await filterFrom(notebook, values)), sort: sort as 'updated' });
      if (values.json) io.stdout(json(result.notes));
      else if (!result.notes.length) io.stdout('No notes match.\n');
      else io.stdout(formatTable(['TITLE', 'TYPE', 'CLASSIFICATION', 'TAGS', 'UPDATED', 'ID'], noteRows(result.notes)));
      return 0;
    }
    case 'history': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, json: { type: 'boolean' } },
        { min: 1, max: 1, names: 'note (id or title)' },
      );
      const id = await resolveNote(notebook, positionals[0] as string, values.engagement);
      const versions = await notebook.history.versions(id);
      if (values.json) io.stdout(json(versions));
      else
        io.stdout(
          formatTable(
            ['VERSION', 'WHEN', 'WHAT', 'BY', 'CHANGES'],
            versions.map((v) => [
              String(v.upto),
              v.to.slice(0, 16).replace('T', ' '),
              v.kind === 'import' ? 'imported' : 'edited',
              v.source,
              String(v.rows),
            ]),
          ),
        );
      return 0;
    }
    case 'diff': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
        { min: 1, max: 1, names: 'note (id or title)' },
      );
      const id = await resolveNote(notebook, positionals[0] as string, values.engagement);
      const from = versionNumber(values.from, '--from');
      const to = values.to === undefined ? (await notebook.history.versions(id))[0]?.upto : versionNumber(values.to, '--to');
      if (from === undefined) throw new UsageError('Missing --from N (see outpost notes history)');
      for (const part of await notebook.history.diff(id, from, to as number)) {
        const mark = part.kind === 'added' ? '+ ' : part.kind === 'removed' ? '- ' : '  ';
        for (const line of part.text.replace(/\n$/, '').split('\n')) io.stdout(`${mark}${line}\n`);
      }
      return 0;
    }
    case 'restore': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, version: { type: 'string' } },
        { min: 1, max: 1, names: 'note (id or title)' },
      );
      const id = await resolveNote(notebook, positionals[0] as string, values.engagement);
      const version = versionNumber(values.version, '--version');
      if (version === undefined) throw new UsageError('Missing --version N (see outpost notes history)');
      await notebook.history.restore(id, version);
      io.stdout(`Restored version ${version} of “${(await notes.summary(id)).title}” as a new edit\n`);
      return 0;
    }
    case 'show': {
      const { values, positionals } = parseCommand(
        rest,
        { engagement: { type: 'string' }, json: { type: 'boolean' }, version: { type: 'string' } },
        { min: 1, max: 1, names: 'note (id or title)' },
      );
      const engagementId = values.engagement !== undefined ? await notebook.engagements.resolve(values.engagement) : undefined;
      const id = await notes.resolve(positionals[0] as string, engagementId);
      const version = versionNumber(values.version, '--version');
      if (version !== undefined) {
        const old = await notebook.history.at(id, version);
        io.stdout(values.json ? json(old) : `${old.title}\n(version ${version})\n\n${old.markdown}`);
        return 0;
      }
      const summary = await notes.summary(id);
      const markdown = await notes.markdown(id);
      if (values.json) io.stdout(json({ ...summary, markdown }));
      else {
        io.stdout(
          `${summary.title}\n${NOTE_TYPE_LABELS[summary.type]} · ${summary.classification} · ${summary.authorName} · updated ${summary.updatedAt}\n`,
        );
        if (summary.tags.length) io.stdout(`Tags: ${summary.tags.join(', ')}\n`);
        io.stdout(`\n${markdown}`);
      }
      return 0;
    }
    case 'search': {
      const { values, positionals } = parseCommand(
        rest,
        { ...FILTER_FLAGS, limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
        { min: 1, max: 1, names: 'search query' },
      );
      const limit = values.limit === undefined ? 20 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit is a number from 1 to 100');
      const hits = await notes.search(positionals[0] as string, await filterFrom(notebook, values), limit);
      if (values.json) io.stdout(json(hits));
      else if (!hits.length) io.stdout('No notes match.\n');
      else
        for (const hit of hits) {
          const snippet = hit.snippet.replaceAll(SNIPPET_START, '«').replaceAll(SNIPPET_STOP, '»').replace(/\s+/g, ' ');
          io.stdout(`${hit.note.title}  [${hit.engagementCodename} · ${NOTE_TYPE_LABELS[hit.note.type]}]  ${hit.note.id}\n  ${snippet}\n`);
        }
      return 0;
    }
    case 'add': {
      const { values } = parseCommand(
        rest,
        {
          engagement: { type: 'string' },
          type: { type: 'string' },
          title: { type: 'string' },
          tags: { type: 'string' },
          classification: { type: 'string' },
          'body-file': { type: 'string' },
          json: { type: 'boolean' },
        },
        { min: 0, max: 0, names: '' },
      );
      if (values.engagement === undefined) throw new UsageError('Missing --engagement');
      const type = noteType(values.type);
      if (!type) throw new UsageError('Missing --type');
      if (values['body-file'] === undefined) throw new UsageError('Missing --body-file (a Markdown file, or - for standard input)');
      const markdown = await readBody(values['body-file'], io);
      const created = await notes.create({
        engagementId: await notebook.engagements.resolve(values.engagement),
        type,
        ...(values.title !== undefined && { title: values.title }),
        ...(values.tags !== undefined && {
          tags: values.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean),
        }),
        ...(values.classification !== undefined && { classification: values.classification }),
        markdown,
      });
      io.stdout(values.json ? json(created) : `Added note “${created.title}” (${created.id})\n`);
      return 0;
    }
    case 'export': {
      const { values } = parseCommand(
        rest,
        { engagement: { type: 'string' }, format: { type: 'string' }, o: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
        { min: 0, max: 0, names: '' },
      );
      if (values.engagement === undefined) throw new UsageError('Missing --engagement');
      if (values.format !== 'md') throw new UsageError('--format md is the export format for now');
      if (!values.o) throw new UsageError('Missing -o DIR');
      const count = await exportMarkdown(
        notebook,
        await notebook.engagements.resolve(values.engagement),
        path.resolve(values.o),
        values.force ?? false,
      );
      io.stdout(`Exported ${count} note${count === 1 ? '' : 's'} to ${path.resolve(values.o)}\n`);
      return 0;
    }
    default:
      throw new UsageError(sub ? `Unknown command "notes ${sub}"\n${NOTES_USAGE}` : NOTES_USAGE);
  }
}

async function resolveNote(notebook: Notebook, ref: string, engagement: string | undefined): Promise<string> {
  const engagementId = engagement !== undefined ? await notebook.engagements.resolve(engagement) : undefined;
  return notebook.notes.resolve(ref, engagementId);
}

function versionNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a version number (see outpost notes history)`);
  return n;
}

async function readBody(file: string, io: CliIO): Promise<string> {
  if (file === '-') return io.readStdin();
  try {
    const stat = fs.statSync(file);
    if (stat.size > 5_000_000) throw new OutpostError('invalid_request', `${file} is larger than 5 MB`);
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof OutpostError) throw error;
    throw new OutpostError('invalid_request', `Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** One Markdown file per note with front matter, plus the attachments they reference. */
async function exportMarkdown(notebook: Notebook, engagementId: string, dir: string, force: boolean): Promise<number> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length && !force) {
    throw new OutpostError('conflict', `${dir} is not empty; choose an empty folder or pass --force`);
  }
  const { notes } = await notebook.notes.list({ engagementId, limit: 5000, sort: 'created' });
  fs.mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  for (const note of notes) {
    const base = slug(note.title) || 'note';
    let name = `${base}.md`;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}.md`;
    used.add(name);
    const markdown = await notebook.notes.markdown(note.id);
    const front = [
      '---',
      `id: ${note.id}`,
      `title: ${JSON.stringify(note.title)}`,
      `type: ${note.type}`,
      `classification: ${JSON.stringify(note.classification)}`,
      `tags: [${note.tags.map((t) => JSON.stringify(t)).join(', ')}]`,
      `author: ${JSON.stringify(note.authorName)}`,
      `created: ${note.createdAt}`,
      `updated: ${note.updatedAt}`,
      '---',
      '',
    ].join('\n');
    writeFileAtomic(path.join(dir, name), `${front}${markdown}`);
    for (const sha of markdown.match(/attachments\/([0-9a-f]{64})/g) ?? []) {
      const hash = sha.slice('attachments/'.length);
      const source = notebook.attachments.pathOf(hash);
      const target = path.join(dir, 'attachments', hash);
      if (fs.existsSync(source) && !fs.existsSync(target)) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(source, target);
      }
    }
  }
  return notes.length;
}

function slug(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 80);
}
