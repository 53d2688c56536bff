import fs from 'node:fs';
import path from 'node:path';
import { decodeBytes } from '../../shared/bytes';
import { OutpostError } from '../../shared/errors';
import { ATTACHMENT_READ_BYTES } from '../../shared/notes/calls';
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
import { UsageError } from './args';
import type { CliApi } from './cli-api';
import { splitList } from './command-helpers';
import { defineCommand, parseSub, pickSub, type Subcommands } from './command-spec';
import { resolveEngagement } from './engagements-command';
import { formatTable, json, readTextInput } from './output';

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

/** A note's Markdown body is at most this large (the contract's limit for notes.create). */
const MAX_BODY_BYTES = 5_000_000;

const FILTER_FLAGS = {
  engagement: { type: 'string' },
  type: { type: 'string' },
  tag: { type: 'string' },
  classification: { type: 'string' },
  json: { type: 'boolean' },
} as const;
const NOTE = { min: 1, max: 1, names: 'note (id or title)' };
const TYPE_CHOICE = { type: NOTE_TYPES };

const SUBCOMMANDS = {
  list: { flags: { ...FILTER_FLAGS, sort: { type: 'string' } }, choices: { ...TYPE_CHOICE, sort: ['updated', 'created', 'title'] } },
  show: { flags: { engagement: { type: 'string' }, json: { type: 'boolean' }, version: { type: 'string' } }, positionals: NOTE },
  search: {
    flags: { ...FILTER_FLAGS, limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    positionals: { min: 1, max: 1, names: 'search query' },
    choices: TYPE_CHOICE,
  },
  add: {
    flags: {
      engagement: { type: 'string' },
      type: { type: 'string' },
      title: { type: 'string' },
      tags: { type: 'string' },
      classification: { type: 'string' },
      'body-file': { type: 'string' },
      json: { type: 'boolean' },
    },
    choices: TYPE_CHOICE,
  },
  export: {
    flags: { engagement: { type: 'string' }, format: { type: 'string' }, o: { type: 'string', short: 'o' }, force: { type: 'boolean' } },
    choices: { format: ['md'] },
  },
  history: { flags: { engagement: { type: 'string' }, json: { type: 'boolean' } }, positionals: NOTE },
  diff: { flags: { engagement: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, positionals: NOTE },
  restore: { flags: { engagement: { type: 'string' }, version: { type: 'string' } }, positionals: NOTE },
} as const satisfies Subcommands;

export const notesCommand = defineCommand({
  name: 'notes',
  summary: 'list, show, search, add, export notes; their history',
  usage: NOTES_USAGE,
  subcommands: SUBCOMMANDS,
  run: async ({ api, io }, args) => {
    const { sub, rest } = pickSub('notes', NOTES_USAGE, SUBCOMMANDS, args);
    switch (sub) {
      case 'list': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        const sort = (values.sort ?? 'updated') as 'updated' | 'created' | 'title';
        const result = await api.call('notes.list', { ...(await filterFrom(api, values)), sort });
        if (values.json) io.stdout(json(result.notes));
        else if (!result.notes.length) io.stdout('No notes match.\n');
        else io.stdout(formatTable(['TITLE', 'TYPE', 'CLASSIFICATION', 'TAGS', 'UPDATED', 'ID'], noteRows(result.notes)));
        return 0;
      }
      case 'history': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const id = await resolveNote(api, positionals[0] as string, values.engagement);
        const { versions } = await api.call('notes.history', { id });
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
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const id = await resolveNote(api, positionals[0] as string, values.engagement);
        const from = versionNumber(values.from, '--from');
        if (from === undefined) throw new UsageError('Missing --from N (see outpost notes history)');
        const to = values.to === undefined ? (await api.call('notes.history', { id })).versions[0]?.upto : versionNumber(values.to, '--to');
        if (to === undefined) throw new OutpostError('not_found', 'This note has no versions yet');
        for (const part of (await api.call('notes.diff', { id, from, to })).parts) {
          const mark = part.kind === 'added' ? '+ ' : part.kind === 'removed' ? '- ' : '  ';
          for (const line of part.text.replace(/\n$/, '').split('\n')) io.stdout(`${mark}${line}\n`);
        }
        return 0;
      }
      case 'restore': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const id = await resolveNote(api, positionals[0] as string, values.engagement);
        const version = versionNumber(values.version, '--version');
        if (version === undefined) throw new UsageError('Missing --version N (see outpost notes history)');
        const restored = await api.call('notes.restore', { id, upto: version });
        io.stdout(`Restored version ${version} of “${restored.title}” as a new edit\n`);
        return 0;
      }
      case 'show': {
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const id = await resolveNote(api, positionals[0] as string, values.engagement);
        const version = versionNumber(values.version, '--version');
        if (version !== undefined) {
          const old = await api.call('notes.markdown', { id, upto: version });
          io.stdout(values.json ? json({ upto: version, ...old }) : `${old.title}\n(version ${version})\n\n${old.markdown}`);
          return 0;
        }
        const [summary, { markdown }] = await Promise.all([api.call('notes.get', { id }), api.call('notes.markdown', { id })]);
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
        const { values, positionals } = parseSub(SUBCOMMANDS, sub, rest);
        const limit = values.limit === undefined ? 20 : Number(values.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit is a number from 1 to 100');
        const { hits } = await api.call('notes.search', { query: positionals[0] as string, filter: await filterFrom(api, values), limit });
        if (values.json) io.stdout(json(hits));
        else if (!hits.length) io.stdout('No notes match.\n');
        else
          for (const hit of hits) {
            const snippet = hit.snippet.replaceAll(SNIPPET_START, '«').replaceAll(SNIPPET_STOP, '»').replace(/\s+/g, ' ');
            io.stdout(
              `${hit.note.title}  [${hit.engagementCodename} · ${NOTE_TYPE_LABELS[hit.note.type]}]  ${hit.note.id}\n  ${snippet}\n`,
            );
          }
        return 0;
      }
      case 'add': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        if (values.engagement === undefined) throw new UsageError('Missing --engagement');
        const type = values.type as NoteType | undefined;
        if (!type) throw new UsageError('Missing --type');
        if (values['body-file'] === undefined) throw new UsageError('Missing --body-file (a Markdown file, or - for standard input)');
        const markdown = await readTextInput(values['body-file'], io, MAX_BODY_BYTES);
        const created = await api.call('notes.create', {
          engagementId: await resolveEngagement(api, values.engagement),
          type,
          ...(values.title !== undefined && { title: values.title }),
          ...(values.tags !== undefined && { tags: splitList(values.tags) }),
          ...(values.classification !== undefined && { classification: values.classification }),
          markdown,
        });
        io.stdout(values.json ? json(created) : `Added note “${created.title}” (${created.id})\n`);
        return 0;
      }
      case 'export': {
        const { values } = parseSub(SUBCOMMANDS, sub, rest);
        if (values.engagement === undefined) throw new UsageError('Missing --engagement');
        if (values.format !== 'md') throw new UsageError('--format md is the export format for now');
        if (!values.o) throw new UsageError('Missing -o DIR');
        const dir = path.resolve(values.o);
        const count = await exportMarkdown(api, await resolveEngagement(api, values.engagement), dir, values.force ?? false);
        io.stdout(`Exported ${count} note${count === 1 ? '' : 's'} to ${dir}\n`);
        return 0;
      }
    }
  },
});

async function filterFrom(
  api: CliApi,
  values: { engagement?: string; type?: string; tag?: string; classification?: string; from?: string; to?: string },
): Promise<NoteFilter> {
  for (const flag of ['from', 'to'] as const) {
    const value = values[flag];
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${flag} takes a date as YYYY-MM-DD`);
  }
  return {
    ...(values.from !== undefined && { from: values.from }),
    ...(values.to !== undefined && { to: values.to }),
    ...(values.engagement !== undefined && { engagementId: await resolveEngagement(api, values.engagement) }),
    ...(values.type !== undefined && { types: [values.type as NoteType] }),
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

async function resolveNote(api: CliApi, ref: string, engagement: string | undefined): Promise<string> {
  const engagementId = engagement !== undefined ? await resolveEngagement(api, engagement) : undefined;
  return (await api.call('notes.resolve', { ref, ...(engagementId && { engagementId }) })).id;
}

function versionNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} takes a version number (see outpost notes history)`);
  return n;
}

/** One Markdown file per note with front matter, plus the attachments they reference (read in pieces). */
async function exportMarkdown(api: CliApi, engagementId: string, dir: string, force: boolean): Promise<number> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length && !force) {
    throw new OutpostError('conflict', `${dir} is not empty; choose an empty folder or pass --force`);
  }
  const { notes } = await api.call('notes.list', { engagementId, limit: 5000, sort: 'created' });
  fs.mkdirSync(dir, { recursive: true });
  // File names first, so a link can name the file of the note it points to.
  const used = new Set<string>();
  const fileOf = new Map<string, string>();
  for (const note of notes) {
    const base = slug(note.title) || 'note';
    let name = `${base}.md`;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}.md`;
    used.add(name);
    fileOf.set(note.id, name);
  }
  for (const note of notes) {
    const name = fileOf.get(note.id) as string;
    const { markdown: body, links } = await api.call('notes.markdown', { id: note.id });
    const markdown = linkTargetsNamed(body, links ?? [], fileOf);
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
    for (const reference of markdown.match(/attachments\/([0-9a-f]{64})/g) ?? []) {
      const sha = reference.slice('attachments/'.length);
      const target = path.join(dir, 'attachments', sha);
      if (!fs.existsSync(target)) await copyAttachment(api, sha, target);
    }
  }
  return notes.length;
}

/**
 * `[[label]]` → `[[file|label]]` for each link to a note of the export (in the order the body holds
 * them), as Obsidian and `outpost import markdown` read it: the link keeps its target through the
 * round trip, not only its label. Links to notes outside the export, and to systems, stay as they are.
 */
function linkTargetsNamed(
  markdown: string,
  links: Array<{ id: string; kind: string; label: string }>,
  fileOf: Map<string, string>,
): string {
  let out = '';
  let at = 0;
  for (const link of links) {
    const shown = `[[${link.label}]]`;
    const found = markdown.indexOf(shown, at);
    if (found < 0) continue;
    const file = link.kind === 'note' ? fileOf.get(link.id) : undefined;
    out += markdown.slice(at, found) + (file ? `[[${file.replace(/\.md$/, '')}|${link.label}]]` : shown);
    at = found + shown.length;
  }
  return out + markdown.slice(at);
}

/** An attachment's bytes, read from the notebook in pieces and written whole or not at all. */
async function copyAttachment(api: CliApi, sha256: string, target: string): Promise<void> {
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    let part: { data: string; size: number };
    try {
      part = await api.call('attachments.read', { sha256, offset, length: ATTACHMENT_READ_BYTES });
    } catch (error) {
      if (error instanceof OutpostError && error.code === 'not_found') return; // referenced, but not in this notebook
      throw error;
    }
    const bytes = decodeBytes(part.data);
    chunks.push(bytes);
    offset += bytes.length;
    if (!bytes.length || offset >= part.size) break;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomic(target, Buffer.concat(chunks));
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
